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
    /// Read per event without a lock: set once by `start`.
    private let live = AtomicLazyReference<LiveRules>()

    /// The rules as events meet them, with the broker loops' lanes.
    private final class LiveRules: Sendable {
        let dispatcher: RuleDispatcher
        /// Set by `shutdown`: later events are not dispatched.
        let stopped = Atomic<Bool>(false)

        init(dispatcher: RuleDispatcher) {
            self.dispatcher = dispatcher
        }

        var dispatching: RuleDispatcher? { stopped.load(ordering: .relaxed) ? nil : dispatcher }
    }

    private struct State: Sendable {
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
        live.load()?.dispatching?.dispatch(event)
    }

    /// On broker loop `lane`: the rules' commands wait in the lane until the tick ends.
    public func handle(_ event: BrokerEvent, lane: Int) {
        live.load()?.dispatching?.dispatch(event, lane: lane)
    }

    public func laneTickEnds(_ lane: Int) {
        guard let lanes = live.load()?.dispatcher.lanes, lanes.indices.contains(lane) else { return }
        lanes[lane].flush()
    }

    public func lanesStopped() {
        for lane in live.load()?.dispatcher.lanes ?? [] { lane.flush() }
    }

    // MARK: - Lifecycle

    /// Connects the pools, loads retained messages into the broker, starts the writers and the channel
    /// listeners. Redis being down at start is not fatal: writes wait in the buffer, and the retained load
    /// and the channel subscription are retried in the background until Redis is there. Throws only for a
    /// configuration that cannot work (unreadable TLS files, say).
    public func start(broker: Broker) async throws {
        var pools: [String: BackendRuntime.Pool] = [:]
        for pool in configuration.pools.values {
            let client = try RedisClient(configuration: redisConfiguration(for: pool))
            pools[pool.name] = BackendRuntime.Pool(
                configuration: pool, client: client,
                queue: CommandQueue(pool: pool.name, capacity: bufferCapacity, logger: logger))
        }
        var subscribers: [(BackendRuntime.Pool, RedisSubscriber)] = []
        for pool in pools.values where usesChannel(pool.configuration) {
            subscribers.append((pool, try RedisSubscriber(configuration: redisConfiguration(for: pool.configuration))))
        }
        let runtime = BackendRuntime(configuration: configuration, broker: broker, pools: pools, logger: logger)
        var writers: [Task<Void, Never>] = []
        for pool in pools.values {
            let queue = pool.queue
            let client = pool.client
            writers.append(Task { await queue.run(on: client) })
        }
        var background: [Task<Void, Never>] = []
        if let retry = await loadRetained(runtime) { background.append(retry) }
        for (pool, subscriber) in subscribers {
            let listener = ChannelListener(broker: broker, logger: logger)
            let subscription = ChannelSubscription(subscriber: subscriber, channel: pool.configuration.channel,
                                                   sharded: isCluster(pool.configuration), logger: logger)
            if let retry = await subscription.start() { background.append(retry) }
            let messages = subscriber.messages
            background.append(Task {
                for await message in messages {
                    await listener.apply(message.text, channel: message.channel)
                }
            })
        }
        if let lookup = retainedLookup(runtime) { broker.useRetainedSource(lookup) }
        _ = live.storeIfNil(LiveRules(dispatcher: RuleDispatcher(runtime: runtime, lanes: broker.loopCount)))
        state.withLock {
            $0.runtime = runtime
            $0.writers = writers
            $0.listeners = background
            $0.subscribers = subscribers.map(\.1)
        }
        logger.info("Redis backend: \(configuration.pools.count) pool(s), \(configuration.allRules.count) rule(s) from \(configuration.source)")
    }

    /// The `on_retain_lookup` rules, as the broker's source of retained messages.
    private func retainedLookup(_ runtime: BackendRuntime) -> RetainedLookupRules? {
        var lookups: [OnRetainLookup] = []
        for rule in configuration.rules[.sessionSubscribed] ?? [] {
            guard case .function(.onRetainLookup) = rule.action, let context = runtime.context(for: rule),
                  let pool = runtime.pools[rule.pool] else { continue }
            lookups.append(OnRetainLookup(context: context, client: pool.client))
        }
        return lookups.isEmpty ? nil : RetainedLookupRules(lookups: lookups)
    }

    private func usesChannel(_ pool: PoolConfiguration) -> Bool {
        // One channel listener per pool that rules use, or the only pool.
        configuration.pools.count == 1 || configuration.allRules.contains { $0.pool == pool.name }
    }

    /// Loads `mqtt:retain:*` before the broker starts, so the first subscribers get them; if Redis is not
    /// reachable yet, returns the task that keeps trying.
    private func loadRetained(_ runtime: BackendRuntime) async -> Task<Void, Never>? {
        var waiting: [(String, BackendRuntime.Pool)] = []
        for name in retainPools {
            guard let pool = runtime.pools[name] else { continue }
            if !(await loadRetained(from: pool, name: name, runtime: runtime)) { waiting.append((name, pool)) }
        }
        guard !waiting.isEmpty else { return nil }
        let logger = self.logger
        return Task {
            for (name, pool) in waiting {
                let loaded = await RedisConfiguration.Backoff().retry(waitingFirst: true) { _ in
                    await self.loadRetained(from: pool, name: name, runtime: runtime)
                }
                if !loaded { return }
            }
            logger.debug("retained load finished")
        }
    }

    /// The pools whose rules keep retained messages.
    private var retainPools: [String] {
        Set(configuration.allRules.filter {
            if case .function(let function) = $0.action {
                return [.onMessageRetain, .onRetainLookup].contains(function)
            }
            return false
        }.map(\.pool)).sorted()
    }

    /// Reads `mqtt:retain:*` into the broker's index again: a cluster node whose link to the others was
    /// down may have missed retained messages they set meanwhile. One attempt per pool.
    public func reloadRetained() async {
        guard let runtime = state.withLock({ $0.runtime }) else { return }
        for name in retainPools {
            guard let pool = runtime.pools[name] else { continue }
            _ = await loadRetained(from: pool, name: name, runtime: runtime)
        }
    }

    /// One attempt; false when Redis could not be reached (try again), true when done or hopeless.
    private func loadRetained(from pool: BackendRuntime.Pool, name: String, runtime: BackendRuntime) async -> Bool {
        do {
            let count = try await RetainedLoader.load(from: pool.client, into: runtime.broker, logger: logger)
            logger.info("loaded \(count) retained message(s) from pool \(name)")
            return true
        } catch let error as RedisError where error.neverSent || error.fateUnknown {
            logger.debug("retained messages of pool \(name) not loaded yet: \(error)")
            return false
        } catch {
            logger.error("could not load retained messages from pool \(name): \(error)")
            return true
        }
    }

    /// Waits for running reply handlers, flushes every buffer (all within `deadline`), then closes the
    /// connections. Acknowledged messages are in Redis when this returns, unless Redis stayed unreachable
    /// past the deadline (then it says so).
    public func shutdown(deadline: Duration = .seconds(10)) async {
        let (runtime, writers, listeners, subscribers) = state.withLock { state in
            let result = (state.runtime, state.writers, state.listeners, state.subscribers)
            state.runtime = nil
            return result
        }
        guard let runtime else { return }
        // Lanes are empty between loop ticks, and the broker hands on the last tick's when its loops stop.
        live.load()?.stopped.store(true, ordering: .relaxed)
        for subscriber in subscribers { await subscriber.close() }
        for listener in listeners { listener.cancel() }
        let flush = Task {
            // Handlers may still write (a fetch removes expired ids): the queues stay open for them.
            await runtime.replyHandlers.waitUntilIdle()
            // Writers finish once their queue is empty and every batch is answered.
            for pool in runtime.pools.values { pool.queue.close() }
            for writer in writers { await writer.value }
        }
        if !(await Deadline.wait(for: flush, at: deadline)) {
            logger.error("shutdown: \(runtime.bufferDepth) backend command(s) not written and \(runtime.replyHandlers.running) lookup(s) unfinished: Redis unreachable for \(deadline)")
            // Cancelled writers fail what they still hold, which lets waiting lookups finish too.
            for pool in runtime.pools.values { pool.queue.close() }
            for writer in writers { writer.cancel() }
            for writer in writers { await writer.value }
        }
        for pool in runtime.pools.values { await pool.client.close() }
    }

    /// True when nothing is queued or in flight and no lookup is running (tests wait for this).
    public var isIdle: Bool {
        state.withLock { $0.runtime }?.isIdle ?? true
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
