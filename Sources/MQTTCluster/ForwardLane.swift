import MQTTBroker
import NIOCore

/// The frames one broker loop builds during a tick, one per destination node; handed to the writer when
/// the tick ends, so a burst of publishes goes out as a few `PUBLISH`es rather than one per message.
///
/// Confined to its loop: only `ClusterNode.forward` and `laneTickEnds` on that loop touch it.
final class ForwardLane: @unchecked Sendable {
    private var frames: [String: OutgoingFrame] = [:]
    private var scratch = ByteBuffer()

    /// Adds `message` to the frame of every node in `nodes` (with the shared groups it serves the message
    /// to), encoding the message once.
    func add(_ message: BrokerMessage, to nodes: [String: Set<String>]) {
        scratch.clear()
        message.write(to: &scratch, now: message.expiresAt == nil ? .uptimeNanoseconds(0) : .now())
        for (node, groups) in nodes {
            if frames[node] == nil { frames[node] = OutgoingFrame(node: node, bytes: ForwardFrame.start(), messages: 0) }
            frames[node]?.bytes.writeImmutableBuffer(scratch)
            frames[node]?.bytes.writeSharedGroups(groups)
            frames[node]?.messages += 1
        }
    }

    /// The tick's frames; the lane starts empty again.
    func take() -> [OutgoingFrame] {
        guard !frames.isEmpty else { return [] }
        let taken = Array(frames.values)
        frames.removeAll(keepingCapacity: true)
        return taken
    }
}

/// Messages for one node, as one `PUBLISH` will carry them.
struct OutgoingFrame: Sendable {
    let node: String
    var bytes: ByteBuffer
    var messages: Int
}
