import EMQXLayout
import Logging
import MQTTBroker
import RedisClient
import Synchronization

/// The EMQX-compatible Redis backend: a hook consumer of the broker that writes EMQX's layout, serves
/// offline messages and stored subscriptions back into sessions, and listens to the SUB/UNSUB channel.
///
/// Create it, hand it to the `Broker` as its event sink, then `start(broker:)` before the broker starts.
public final class RedisBackend: BrokerEventSink {
    public let configuration: BackendConfiguration
    private let logger: Logger
    private let bufferCapacity: Int
    private let connectionOverride: RedisConfiguration?
    private let state = Mutex<State>(State())

    private struct State: Sendable {
        var dispatcher: RuleDispatcher?
        var runtime: BackendRuntime?
        var writers: [Task<Void, Never>] = []
        var listeners: [Task<Void, Never>] = []
        var subscribers: [RedisSubscriber] = []
    }

    /// - Parameters:
    ///   - bufferCapacity: commands held per pool while Redis is unreachable; beyond, the oldest go.
    ///   - connectionOverride: where every pool connects instead of its `server` lines (the `--redis` URL,
    ///     or the private redis-server); the file's pool_size still applies.
    public init(configuration: BackendConfiguration, logger: Logger, bufferCapacity: Int = 200_000,
                connectionOverride: RedisConfiguration? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.bufferCapacity = bufferCapacity
        self.connectionOverride = connectionOverride
    }

    private func redisConfiguration(for pool: PoolConfiguration) throws -> RedisConfiguration {
        guard var override = connectionOverride else {
            return try PoolConnector.configuration(for: pool, logger: logger)
        }
        override.poolSize = pool.poolSize
        override.clientName = "mqtop-backend-\(pool.name)"
        return override
    }

    private func isCluster(_ pool: PoolConfiguration) -> Bool {
        if let override = connectionOverride, case .cluster = override.topology { return true }
        return connectionOverride == nil && pool.kind == .cluster
    }

    // MARK: - BrokerEventSink

    public func handle(_ event: BrokerEvent) {
        state.withLock { $0.dispatcher }?.dispatch(event)
    }

    // MARK: - Lifecycle

    /// Connects the pools, loads retained messages into the broker, starts the writers and the channel
    /// listeners. Redis being down at start is not fatal: writes wait in the buffer until it is back.
    public func start(broker: Broker) async throws {
        var pools: [String: BackendRuntime.Pool] = [:]
        for pool in configuration.pools.values {
            let client = try RedisClient(configuration: redisConfiguration(for: pool))
            pools[pool.name] = BackendRuntime.Pool(
                configuration: pool, client: client,
                queue: CommandQueue(pool: pool.name, capacity: bufferCapacity, logger: logger))
        }
        let runtime = BackendRuntime(configuration: configuration, broker: broker, pools: pools, logger: logger)
        var writers: [Task<Void, Never>] = []
        for pool in pools.values {
            let queue = pool.queue
            let client = pool.client
            writers.append(Task { await queue.run(on: client) })
        }
        await loadRetained(runtime)
        var subscribers: [RedisSubscriber] = []
        var listeners: [Task<Void, Never>] = []
        for pool in pools.values where usesChannel(pool.configuration) {
            let (subscriber, task) = try await listen(pool, broker: broker)
            subscribers.append(subscriber)
            listeners.append(task)
        }
        state.withLock {
            $0.runtime = runtime
            $0.dispatcher = RuleDispatcher(runtime: runtime)
            $0.writers = writers
            $0.listeners = listeners
            $0.subscribers = subscribers
        }
        logger.info("Redis backend: \(configuration.pools.count) pool(s), \(configuration.allRules.count) rule(s) from \(configuration.source)")
    }

    private func usesChannel(_ pool: PoolConfiguration) -> Bool {
        // One channel listener per pool that rules use, or the only pool.
        configuration.pools.count == 1 || configuration.allRules.contains { $0.pool == pool.name }
    }

    private func loadRetained(_ runtime: BackendRuntime) async {
        let retainPools = Set(configuration.allRules.filter {
            if case .function(let function) = $0.action {
                return [.onMessageRetain, .onRetainLookup].contains(function)
            }
            return false
        }.map(\.pool))
        for name in retainPools.sorted() {
            guard let pool = runtime.pools[name] else { continue }
            do {
                let count = try await RetainedLoader.load(from: pool.client, into: runtime.broker, logger: logger)
                logger.info("loaded \(count) retained message(s) from pool \(name)")
            } catch {
                logger.error("could not load retained messages from pool \(name): \(error)")
            }
        }
    }

    private func listen(_ pool: BackendRuntime.Pool, broker: Broker) async throws -> (RedisSubscriber, Task<Void, Never>) {
        let subscriber = try RedisSubscriber(configuration: redisConfiguration(for: pool.configuration))
        let channel = pool.configuration.channel
        if isCluster(pool.configuration) {
            // EMQX has no channel in cluster mode; ours uses sharded pub/sub (Redis 7).
            try await subscriber.ssubscribe([channel])
        } else {
            try await subscriber.subscribe([channel])
        }
        let listener = ChannelListener(broker: broker, logger: logger)
        let messages = subscriber.messages
        let task = Task {
            for await message in messages {
                await listener.apply(message.text, channel: message.channel)
            }
        }
        return (subscriber, task)
    }

    /// Flushes every buffer (at most `deadline`), then closes the connections. Acknowledged messages are
    /// in Redis when this returns, unless Redis stayed unreachable past the deadline (then it says so).
    public func shutdown(deadline: Duration = .seconds(10)) async {
        let (runtime, writers, listeners, subscribers) = state.withLock { state in
            let result = (state.runtime, state.writers, state.listeners, state.subscribers)
            state.dispatcher = nil
            state.runtime = nil
            return result
        }
        guard let runtime else { return }
        for subscriber in subscribers { await subscriber.close() }
        for listener in listeners { listener.cancel() }
        // Writers finish once their queue is empty and every batch is answered.
        for pool in runtime.pools.values { pool.queue.close() }
        let flushed = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for writer in writers { await writer.value }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !flushed {
            logger.error("shutdown: \(runtime.bufferDepth) backend command(s) not written: Redis unreachable for \(deadline)")
            for writer in writers { writer.cancel() }
        }
        for pool in runtime.pools.values { await pool.client.close() }
    }

    /// Buffer figures for the console and logs.
    public var status: BackendStatus {
        guard let runtime = state.withLock({ $0.runtime }) else { return BackendStatus(bufferDepth: 0, dropped: 0) }
        return BackendStatus(bufferDepth: runtime.bufferDepth, dropped: runtime.droppedCommands)
    }
}

/// What the backend reports about itself.
public struct BackendStatus: Sendable, Hashable {
    public var bufferDepth: Int
    public var dropped: Int
}
