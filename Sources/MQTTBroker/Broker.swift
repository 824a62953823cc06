import Glibc
import Logging
import MQTTCore
import NIOCore
import NIOPosix

/// The MQTT broker: listeners, sessions, routing, retained messages, `$SYS`.
///
/// Runs without Redis; a storage backend attaches as a `BrokerEventSink` and calls back through the
/// server-side operations here (subscribe, unsubscribe, deliver, publish).
public final class Broker: Sendable {
    public let configuration: BrokerConfiguration
    let core: BrokerCore
    let group: MultiThreadedEventLoopGroup
    private let channels = LockedChannels()

    /// - Parameters:
    ///   - eventSink: the hook consumer (the Redis backend).
    ///   - authenticator: checks CONNECT credentials and decides ACLs; without one every client is let in.
    ///   - tap: sees every accepted message (the console's traffic view).
    ///   - cluster: the other nodes of a cluster (`--cluster`), which hear of this node's filters and
    ///     messages through it.
    public init(configuration: BrokerConfiguration, logger: Logger = Logger(label: "mqtop.broker"),
                eventSink: BrokerEventSink? = nil, authenticator: BrokerAuthenticator? = nil,
                tap: (any MessageTap)? = nil, cluster: (any ClusterLink)? = nil) {
        self.configuration = configuration
        group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.loopCount)
        let loops = Array(group.makeIterator())
        core = BrokerCore(configuration: configuration, logger: logger, loops: loops, eventSink: eventSink,
                          tap: tap, authenticator: authenticator, retained: RetainedStore(), cluster: cluster)
    }

    public var nodeName: String { configuration.nodeName }

    /// Starts every listener; returns the bound addresses (the real port where 0 was asked).
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        try await core.routers.start().get()
        if core.authenticator?.checksCredentials != true {
            for listener in configuration.listeners where !Self.isLoopback(listener.host) {
                core.logger.warning("\(listener) is reachable from other hosts and anyone may connect: no authentication is configured (--auth-config)")
            }
        }
        let listener = Listener(core: core, group: group)
        var addresses: [SocketAddress] = []
        for configuration in configuration.listeners {
            do {
                let channel = try await listener.bind(configuration)
                channels.append(channel)
                if let address = channel.localAddress { addresses.append(address) }
                let bound = channel.localAddress.map(BrokerCore.describe) ?? "\(configuration.host):\(configuration.port)"
                let path = configuration.transport.isWebSocket ? ListenerConfiguration.webSocketPath : ""
                core.logger.info("listening on \(configuration.transport.rawValue)://\(bound)\(path)")
            } catch let error as BrokerError {
                throw error
            } catch let error as IOError {
                // "address already in use", not NIO's "bind(descriptor:ptr:bytes:): … (errno: 98)".
                let reason = String(cString: strerror(error.errnoCode)).lowercased()
                throw BrokerError.bindFailed(listener: configuration.description, underlying: reason)
            } catch {
                throw BrokerError.bindFailed(listener: configuration.description, underlying: "\(error)")
            }
        }
        if let interval = configuration.sysInterval {
            SysPublisher(core: core).start(every: interval)
        }
        return addresses
    }

    /// Stops listening, tells 5.0 clients the server is shutting down (0x8B), closes every connection.
    public func shutdown() async {
        for channel in channels.drain() {
            try? await channel.close()
        }
        // Each connection ends (a DISCONNECT where 5.0 allows one) and closes once its client has read it or
        // the linger time is up. The loops stop only after that: a connection closed by a stopping loop
        // would tell the other loops its routes are gone after they stopped.
        let closed = core.registry.all().map { handle in
            handle.loop.submit { () -> EventLoopFuture<Void>? in
                guard let connection = handle.session?.connection else { return nil }
                connection.end(reason: .serverShuttingDown)
                return connection.channel.closeFuture
            }.flatMap { $0 ?? handle.loop.makeSucceededVoidFuture() }
        }
        for future in closed { try? await future.get() }
        // Nothing more is handed to the loops; what was handed over before is queued, and runs (with the
        // last writes) before one more task on each loop returns.
        await core.routers.gate.close()
        for entry in core.routers.entries {
            try? await entry.loop.submit {}.get()
        }
        try? await group.shutdownGracefully()
        core.eventSink?.lanesStopped()
    }

    /// How many event loops (lanes) the broker runs; `BrokerEventSink.handle(_:lane:)` numbers them.
    public var loopCount: Int { core.routers.entries.count }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    public var stats: BrokerStatsSnapshot {
        core.statsSnapshot()
    }
}

/// Why the broker could not start.
public enum BrokerError: Error, CustomStringConvertible {
    case bindFailed(listener: String, underlying: String)
    case tlsUnconfigured
    case tlsFiles(String)

    public var description: String {
        switch self {
        case .bindFailed(let listener, let underlying):
            "cannot listen on \(listener): \(underlying) (another broker on that port? choose one with --listen)"
        case .tlsUnconfigured: "an mqtts:// or wss:// listener needs --cert and --key"
        case .tlsFiles(let reason): "cannot load the TLS certificate or key: \(reason)"
        }
    }
}

import Synchronization

/// The listening channels, for shutdown.
final class LockedChannels: Sendable {
    private let channels = Mutex<[Channel]>([])
    func append(_ channel: Channel) { channels.withLock { $0.append(channel) } }
    func drain() -> [Channel] { channels.withLock { let all = $0; $0.removeAll(); return all } }
}
