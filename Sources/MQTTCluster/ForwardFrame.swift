import MQTTBroker
import MQTTCore
import NIOCore

/// The bytes one Redis `PUBLISH` carries from one node to another: many messages, in the order the sending
/// node accepted them.
///
/// A version byte (`2`), then per message: the message as `BrokerMessage.write` puts it, and the shared
/// groups the receiving node serves it to (u8 count, each `$share/<group>/<filter>` with a u16 length).
public enum ForwardFrame {
    static let version: UInt8 = 2

    /// An empty frame, ready for `append`.
    static func start(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 512)
        buffer.writeInteger(version)
        return buffer
    }

    /// Writes one message and the shared groups the receiver serves it to.
    static func append(_ message: BrokerMessage, sharedGroups: Set<String> = [], now: NIODeadline,
                       to buffer: inout ByteBuffer) {
        message.write(to: &buffer, now: now)
        buffer.writeSharedGroups(sharedGroups)
    }

    /// A whole frame of `messages` (tests, one-off sends).
    public static func encode(_ messages: [PeerMessage], now: NIODeadline = .now()) -> ByteBuffer {
        var buffer = start()
        for peer in messages { append(peer.message, sharedGroups: peer.sharedGroups, now: now, to: &buffer) }
        return buffer
    }

    /// The messages of a frame; `now` starts their expiry clocks again here. Throws `ForwardFrameError`
    /// naming the message index and field that is wrong: a frame is taken whole or not at all.
    public static func decode(_ frame: ByteBuffer, now: NIODeadline = .now()) throws(ForwardFrameError) -> [PeerMessage] {
        var reader = PacketReader(body: frame, packetType: .publish)
        var messages: [PeerMessage] = []
        do {
            let version = try reader.readByte("version")
            guard version == Self.version else { throw ForwardFrameError(index: nil, reason: "version \(version), expected \(Self.version)") }
        } catch let error as ForwardFrameError {
            throw error
        } catch {
            throw ForwardFrameError(index: nil, reason: "\(error)")
        }
        while !reader.isAtEnd {
            do {
                let message = try BrokerMessage.read(from: &reader, now: now)
                var groups: Set<String> = []
                for _ in 0..<(try reader.readByte("shared group count")) { groups.insert(try reader.readString("shared group")) }
                messages.append(PeerMessage(message: message, sharedGroups: groups))
            } catch {
                throw ForwardFrameError(index: messages.count, reason: "\(error)")
            }
        }
        return messages
    }

}

/// A frame that could not be read, with the message it broke at (nil: the frame's header).
public struct ForwardFrameError: Error, CustomStringConvertible {
    public let index: Int?
    public let reason: String

    public var description: String {
        index.map { "message \($0): \(reason)" } ?? "frame header: \(reason)"
    }
}

extension ByteBuffer {
    /// The shared groups after a message in a frame; a message matches far fewer than 256 groups.
    mutating func writeSharedGroups(_ groups: Set<String>) {
        writeInteger(UInt8(clamping: groups.count))
        for group in groups.prefix(255) { writeMQTTString(group) }
    }
}
