import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A Redis client for a single server, a sentinel-managed master or a cluster.
///
/// Created from a ``RedisConfiguration`` (or a URL), it connects in the background and keeps its pool up:
/// commands wait for the first connection attempts, and afterwards fail fast with
/// ``RedisError/Kind/notConnected`` while Redis is unreachable, so the caller decides to buffer or drop.
/// Commands are pipelined over ``RedisConfiguration/poolSize`` connections; ``pipeline(_:)`` writes a batch at
/// once. Call ``close()`` when done: it closes every connection and ends the background work.
///
/// ```swift
/// let redis = try RedisClient(url: "redis://127.0.0.1:6379/0")
/// try await redis.hset("mqtt:client:c1", field: "state", to: "online")
/// await redis.close()
/// ```
public final class RedisClient: RedisCommandExecuting {
    public let configuration: RedisConfiguration
    let router: any RedisRouter
    private let broadcaster: HealthBroadcaster
    private let closed = Atomic<Bool>(false)

    /// Starts connecting in the background; throws only for an invalid configuration (such as unreadable
    /// TLS files).
    public init(configuration: RedisConfiguration) throws(RedisError) {
        try configuration.validate()
        self.configuration = configuration
        let tlsContext = try configuration.tls.map { options throws(RedisError) in try RedisTLS.makeContext(options) }
        let connector = RedisConnector(configuration: configuration, tlsContext: tlsContext,
                                       handshake: RedisConnector.dataHandshake(configuration))
        let relay = ChangeRelay()
        let broadcaster = HealthBroadcaster(RedisHealth(state: .connecting))
        self.broadcaster = broadcaster
        switch configuration.topology {
        case .single(let endpoint):
            let pool = RedisConnectionPool(
                name: endpoint.description, size: configuration.poolSize, group: configuration.eventLoopGroup,
                backoff: configuration.reconnectBackoff, healthCheckInterval: configuration.healthCheckInterval,
                logger: configuration.logger, onChange: relay.fire
            ) { eventLoop in
                try await connector.connect(to: endpoint, on: eventLoop)
            }
            router = StandaloneRouter(pool: pool, sentinel: nil, logger: configuration.logger)
        case .sentinel(let sentinels, let masterName):
            let monitor = SentinelMonitor(sentinels: sentinels, masterName: masterName, configuration: configuration,
                                          sentinelConnector: Self.sentinelConnector(configuration, tlsContext),
                                          dataConnector: connector)
            let pool = RedisConnectionPool(
                name: monitor.description, size: configuration.poolSize, group: configuration.eventLoopGroup,
                backoff: configuration.reconnectBackoff, healthCheckInterval: configuration.healthCheckInterval,
                logger: configuration.logger, onChange: relay.fire,
                accept: { monitor.isAcceptable($0.endpoint) }
            ) { eventLoop in
                try await monitor.connectToMaster(on: eventLoop)
            }
            monitor.onSwitch { master in
                pool.dropConnections { $0.endpoint != master }
            }
            router = StandaloneRouter(pool: pool, sentinel: monitor, logger: configuration.logger)
        case .cluster(let seeds):
            router = ClusterRouter(seeds: seeds, configuration: configuration, connector: connector, onChange: relay.fire)
        }
        let router = self.router
        relay.connect { [weak broadcaster] in broadcaster?.update(router.health) }
        router.start()
    }

    /// A client for `url` (see ``RedisURL``), otherwise with default settings.
    public convenience init(url: String) throws(RedisError) {
        try self.init(configuration: RedisConfiguration(url: url))
    }

    /// Creates a client and waits for its first connection; throws (and closes the client) if it cannot
    /// connect, with the reason (refused, TLS, `WRONGPASS`, ...).
    public static func connect(_ configuration: RedisConfiguration) async throws -> RedisClient {
        let client = try RedisClient(configuration: configuration)
        do {
            try await client.waitUntilConnected()
            return client
        } catch {
            await client.close()
            throw error
        }
    }

    static func sentinelConnector(_ configuration: RedisConfiguration, _ tlsContext: NIOSSLContext?) -> RedisConnector {
        RedisConnector(configuration: configuration, tlsContext: tlsContext,
                       handshake: RedisHandshake(protocolVersion: configuration.protocolVersion,
                                                 username: configuration.sentinelUsername,
                                                 password: configuration.sentinelPassword,
                                                 clientName: configuration.clientName))
    }

    // MARK: - Commands

    /// Sends one command and returns its reply; error replies are thrown as ``RedisError``.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        try await router.send(command, timeout: nil)
    }

    /// Sends one command with its own reply timeout (for blocking commands such as `BLPOP`).
    @discardableResult
    public func send(_ command: RedisCommand, timeout: Duration) async throws -> RESPValue {
        try await router.send(command, timeout: timeout.timeAmount)
    }

    /// Sends `commands` in one write (per node in a cluster) and returns one result per command, in order.
    ///
    /// A failing command does not fail the others. Throws only when nothing could be sent (no connection).
    /// On a single server or sentinel master the batch is contiguous on one connection, so
    /// `MULTI … EXEC` inside it is a transaction.
    @discardableResult
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        return try await router.pipeline(commands)
    }

    // MARK: - Futures

    /// ``pipeline(_:)`` for code already running on an event loop (channel handlers, future chains): no Task
    /// per call, a connection on the same event loop when one is up, the result delivered on `eventLoop`.
    /// Cluster mode (redirects) and a pool still starting fall back to a Task.
    public func pipeline(_ commands: [RedisCommand], on eventLoop: any EventLoop)
        -> EventLoopFuture<[Result<RESPValue, RedisError>]> {
        guard !commands.isEmpty else { return eventLoop.makeSucceededFuture([]) }
        return router.pipeline(commands, on: eventLoop)
    }

    /// ``send(_:)`` for code on an event loop; an error reply fails the future with a ``RedisError``.
    public func send(_ command: RedisCommand, on eventLoop: any EventLoop) -> EventLoopFuture<RESPValue> {
        pipeline([command], on: eventLoop).flatMapThrowing { results in
            guard let first = results.first else {
                throw RedisError(.protocolError, "no reply", command: command.displayName)
            }
            return try first.get()
        }
    }

    // MARK: - Health

    /// The link's state now.
    public var health: RedisHealth {
        let current = router.health
        broadcaster.update(current)
        return current
    }

    /// The current health, then every change (state, endpoint, error, latency samples).
    public func healthUpdates() -> AsyncStream<RedisHealth> {
        broadcaster.stream()
    }

    /// Waits until a command can be sent; throws the connection error if the first attempts fail.
    public func waitUntilConnected() async throws {
        _ = try await router.send(RedisCommand("PING"), timeout: nil)
    }

    /// Closes every connection, fails waiting commands with ``RedisError/Kind/closed``, stops reconnecting.
    public func close() async {
        closed.store(true, ordering: .relaxed)
        await router.close()
        broadcaster.finish(router.health)
    }

    /// A client dropped without ``close()`` still closes its connections, in the background.
    deinit {
        if !closed.load(ordering: .relaxed) {
            let router = self.router
            Task { await router.close() }
        }
    }
}
