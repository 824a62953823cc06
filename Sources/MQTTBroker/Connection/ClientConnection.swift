import MQTTCore
import NIOCore
import Synchronization

/// One client's network connection as the session sees it: encode and write packets, flush, close.
///
/// The session may live on another event loop than the channel (a resumed session keeps its loop), so
/// everything here is safe from any thread; on the channel's own loop NIO writes directly.
final class ClientConnection: Sendable {
    let channel: Channel
    let version: MQTTVersion
    let address: String
    let stats: BrokerStats
    private let closing = Atomic<Bool>(false)

    init(channel: Channel, version: MQTTVersion, address: String, stats: BrokerStats) {
        self.channel = channel
        self.version = version
        self.address = address
        self.stats = stats
    }

    var isWritable: Bool { channel.isWritable }
    var isClosing: Bool { closing.load(ordering: .relaxed) }

    /// Sends a final packet (a DISCONNECT or a refusing CONNACK) and closes once it is written.
    func close(after packet: MQTTPacket? = nil) {
        guard closing.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        if let packet {
            let size = packet.encodedSize(version: version)
            var buffer = channel.allocator.buffer(capacity: size)
            packet.write(version: version, to: &buffer)
            let channel = self.channel
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
    }
}
