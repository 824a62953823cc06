import Logging
import MQTTCore
import NIOCore
import NIOPosix

/// Binds the configured listeners and builds each connection's pipeline.
struct Listener {
    let core: BrokerCore
    let group: EventLoopGroup

    /// Binds `configuration`; the returned channel's local address has the real port when 0 was asked.
    func bind(_ configuration: ListenerConfiguration) async throws -> Channel {
        let core = self.core
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 * 1024, high: 256 * 1024))
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let loopIndex = core.routers.index(of: channel.eventLoop)
                    let decoder = MQTTPacketDecoder(maximumPacketSize: core.configuration.maxPacketSize)
                    try channel.pipeline.syncOperations.addHandlers([
                        InboundByteCounter(stats: core.stats),
                        ByteToMessageHandler(MQTTByteToPacketDecoder(decoder: decoder)),
                        MQTTServerHandler(core: core, loopIndex: loopIndex),
                    ])
                }
            }
        return try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
    }
}

/// Counts bytes read, for `$SYS/broker/bytes/received`; one call per read, not per packet.
final class InboundByteCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let stats: BrokerStats

    init(stats: BrokerStats) { self.stats = stats }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        stats.add(stats.bytesReceived, unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }
}
