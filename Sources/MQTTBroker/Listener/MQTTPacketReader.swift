import MQTTCore
import NIOCore

/// Bytes in, packets out, in one pipeline stage that holds nothing between reads unless a packet is cut
/// in two: an idle connection keeps no buffer here. (It replaces a byte counter plus NIO's
/// `ByteToMessageHandler`, whose contexts, queue and buffer list cost about 0.6 kB on every connection.)
///
/// Counts bytes for `$SYS/broker/bytes/received`, one call per read. After a decoding error it fires the
/// error once and drops whatever else arrives: the connection is ending.
final class MQTTPacketReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = MQTTPacket

    private var decoder: MQTTPacketDecoder
    private let stats: BrokerStats
    /// The start of a packet whose rest has not arrived.
    private var partial: ByteBuffer?
    private var failed = false

    init(decoder: MQTTPacketDecoder, stats: BrokerStats) {
        self.decoder = decoder
        self.stats = stats
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        stats.add(stats.bytesReceived, buffer.readableBytes)
        guard !failed else { return }
        if var earlier = partial {
            partial = nil
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        do {
            while let packet = try decoder.decode(from: &buffer) {
                context.fireChannelRead(wrapInboundOut(packet))
                guard !failed, context.channel.isActive else { return }
            }
        } catch {
            failed = true
            context.fireErrorCaught(error)
            return
        }
        guard buffer.readableBytes > 0 else { return }
        // A few bytes of a packet must not pin the whole read buffer (up to 64 kB): keep a copy of them
        // when they are a small part of it, so the channel can reuse its buffer for the next read.
        if buffer.readableBytes * 4 < buffer.capacity {
            var copy = context.channel.allocator.buffer(capacity: buffer.readableBytes)
            copy.writeBuffer(&buffer)
            partial = copy
        } else {
            partial = buffer
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        partial = nil
    }
}
