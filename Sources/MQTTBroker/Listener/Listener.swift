import Logging
import MQTTCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Binds the configured listeners and builds each connection's pipeline:
/// `[TLS] [HTTP → WebSocket] → MQTTServerHandler` (which decodes the bytes itself).
struct Listener {
    let core: BrokerCore
    let group: EventLoopGroup

    /// Binds `configuration`; the returned channel's local address has the real port when 0 was asked.
    func bind(_ configuration: ListenerConfiguration) async throws -> Channel {
        let core = self.core
        let tls = try configuration.transport.needsTLS ? makeTLSContext() : nil
        let webSocket = configuration.transport.isWebSocket
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // A burst of connects is accepted 64 per wake-up rather than NIO's default 4.
            .serverChannelOption(.maxMessagesPerRead, value: 64)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 * 1024, high: 256 * 1024))
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // Each channel keeps its last read buffer for the next read: start it small, so an idle
            // connection holds 64 bytes rather than 2 kB; it doubles while reads fill it (publishers).
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 64,
                                                                                        maximum: 64 * 1024))
            .childChannelInitializer { channel in
                if let tls {
                    do {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                if webSocket {
                    return WebSocketUpgrade.configure(channel) { channel in
                        try Self.addMQTTHandlers(to: channel, core: core)
                    }
                }
                return channel.eventLoop.makeCompletedFuture { try Self.addMQTTHandlers(to: channel, core: core) }
            }
        return try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
    }

    /// The MQTT part of every pipeline, whatever carries the bytes.
    static func addMQTTHandlers(to channel: Channel, core: BrokerCore) throws {
        let loopIndex = core.routers.index(of: channel.eventLoop)
        let decoder = MQTTPacketDecoder(maximumPacketSize: core.configuration.maxPacketSize)
        try channel.pipeline.syncOperations.addHandler(MQTTServerHandler(core: core, loopIndex: loopIndex,
                                                                          reader: MQTTPacketReader(decoder: decoder)))
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        guard let files = core.configuration.tls else {
            throw BrokerError.tlsUnconfigured
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { NIOSSLCertificateSource.certificate($0) }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: files.privateKey, format: .pem)))
            if let authority = files.certificateAuthority {
                configuration.trustRoots = .file(authority)
                configuration.certificateVerification = files.requireClientCertificate
                    ? .noHostnameVerification : .optionalVerification
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw BrokerError.tlsFiles("\(error)")
        }
    }
}
