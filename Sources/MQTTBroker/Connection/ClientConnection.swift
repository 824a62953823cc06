import MQTTCore
import NIOCore
import Synchronization

/// One client's network connection as the session sees it: encode and write packets, flush, close.
///
/// The session may live on another event loop than the channel (a resumed session keeps its loop), so
/// everything here is safe from any thread; on the channel's own loop NIO writes directly.
final class ClientConnection: Sendable {
    // The one-byte fields last, together: 50 bytes, inside malloc's 64-byte class (with `version` between
    // the references, 80).
    let channel: Channel
    let address: String
    let version: MQTTVersion
    private let closing = Atomic<Bool>(false)

    /// How long a connection ended with a reason keeps reading (and discarding) before it closes.
    static let lingerTime: TimeAmount = .seconds(1)

    init(channel: Channel, version: MQTTVersion, address: String) {
        self.channel = channel
        self.version = version
        self.address = address
    }

    var isWritable: Bool { channel.isWritable }
    /// Ending: nothing the client sends is acted on any more.
    var isClosing: Bool { closing.load(ordering: .relaxed) }

    /// Ends the connection on the broker's initiative: a 5.0 client is told `reason` in a DISCONNECT
    /// (§4.13: the one place that decides), a 3.1.1 client, which has no such packet, is closed.
    func end(reason: ReasonCode) {
        if version.hasProperties {
            close(after: .disconnect(DisconnectPacket(reason: reason)))
        } else {
            close()
        }
    }

    /// Sends a final packet (a DISCONNECT or a refusing CONNACK) and closes once the client has read it.
    ///
    /// Closing a socket with unread input resets it, and a client still writing (PUBRELs, a pipelined
    /// SUBSCRIBE) would lose the packet that says why. So the connection first stops decoding, keeps
    /// reading and discarding, and closes when the client does or after `lingerTime`.
    func close(after packet: MQTTPacket? = nil) {
        guard closing.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        guard let packet else {
            channel.close(promise: nil)
            return
        }
        let size = packet.encodedSize(version: version)
        var encoded = channel.allocator.buffer(capacity: size)
        packet.write(version: version, to: &encoded)
        let buffer = encoded
        let channel = self.channel
        channel.eventLoop.execute {
            do {
                try channel.pipeline.syncOperations.addHandler(DiscardingInbound(), position: .first)
            } catch {
                channel.close(promise: nil)
                return
            }
            channel.setOption(.autoRead, value: true).whenComplete { _ in }
            channel.writeAndFlush(buffer).whenFailure { _ in channel.close(promise: nil) }
            channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
        }
    }
}

/// Put first in an ending connection's pipeline: swallows every read and read error, so nothing more is
/// decoded or acted on, while the socket is still drained.
final class DiscardingInbound: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}
