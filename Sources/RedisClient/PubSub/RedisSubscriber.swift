import Logging
import NIOCore
import Synchronization

/// Pub/sub on its own connection(s), with messages as an async sequence.
///
/// Subscriptions are remembered and made again after every reconnect: a restarted server, a sentinel
/// failover (the subscriber follows the new master) or, in a cluster, a slot that moved (shard channels
/// follow `MOVED` and pushed `sunsubscribe`). Messages published while disconnected are lost, as with any
/// Redis pub/sub: watch ``RedisHealth/generation`` in ``healthUpdates()`` to know when to re-read state.
///
/// ```swift
/// let subscriber = try RedisSubscriber(url: "redis://127.0.0.1:6379")
/// try await subscriber.subscribe(["mqtt_sub"])
/// for await message in subscriber.messages { print(message.channel, message.text) }
/// ```
public final class RedisSubscriber: Sendable {
    private enum Backend: Sendable {
        case standalone(SubscriberSession, SentinelMonitor?)
        case cluster(ClusterSubscriber)
    }

    public let configuration: RedisConfiguration
    /// Every message of every subscription, in arrival order. One consumer. Holds at most
    /// ``RedisConfiguration/subscriberBufferLimit`` unread messages (then the oldest go, see
    /// ``droppedMessages``). Finishes after ``close()``.
    public let messages: AsyncStream<RedisPubSubMessage>
    private let continuation: AsyncStream<RedisPubSubMessage>.Continuation
    private let dropped = DropCounter()
    private let backend: Backend
    private let broadcaster = HealthBroadcaster(RedisHealth(state: .connecting))
    private let closed = Atomic<Bool>(false)

    public init(configuration: RedisConfiguration) throws(RedisError) {
        try configuration.validate()
        self.configuration = configuration
        let limit = max(1, configuration.subscriberBufferLimit)
        (messages, continuation) = AsyncStream.makeStream(of: RedisPubSubMessage.self,
                                                          bufferingPolicy: .bufferingNewest(limit))
        let continuation = self.continuation
        let dropped = self.dropped
        let logger = configuration.logger
        let onMessage: @Sendable (RedisPubSubMessage) -> Void = { message in
            guard case .dropped(let oldest) = continuation.yield(message) else { return }
            let count = dropped.count.add(1, ordering: .relaxed).newValue
            // The first drop, then one line per 1,000, so a stalled consumer does not flood the log.
            if count == 1 || count % 1_000 == 0 {
                logger.warning("pub/sub consumer is \(limit) messages behind: dropped the oldest (channel \(oldest.channel)), \(count) so far")
            }
        }
        let tlsContext = try configuration.tls.map { options throws(RedisError) in try RedisTLS.makeContext(options) }
        var handshake = RedisConnector.dataHandshake(configuration)
        handshake.clientName = configuration.clientName
        let connector = RedisConnector(configuration: configuration, tlsContext: tlsContext, handshake: handshake)
        let relay = ChangeRelay()
        switch configuration.topology {
        case .single(let endpoint):
            let session = SubscriberSession(name: endpoint.description, configuration: configuration, shardBySlot: false,
                                            onMessage: onMessage, onChange: relay.fire) { eventLoop, handlers in
                try await connector.connect(to: endpoint, on: eventLoop, handlers: handlers)
            }
            backend = .standalone(session, nil)
        case .sentinel(let sentinels, let masterName):
            let monitor = SentinelMonitor(sentinels: sentinels, masterName: masterName, configuration: configuration,
                                          sentinelConnector: RedisClient.sentinelConnector(configuration, tlsContext),
                                          dataConnector: connector)
            let session = SubscriberSession(name: monitor.description, configuration: configuration, shardBySlot: false,
                                            onMessage: onMessage, onChange: relay.fire) { eventLoop, handlers in
                try await monitor.connectToMaster(on: eventLoop, handlers: handlers)
            }
            monitor.onSwitch { master in
                if session.snapshot.endpoint != master { session.reconnect() }
            }
            backend = .standalone(session, monitor)
        case .cluster(let seeds):
            backend = .cluster(ClusterSubscriber(seeds: seeds, configuration: configuration, connector: connector,
                                                 onMessage: onMessage, onChange: relay.fire))
        }
        let broadcaster = self.broadcaster
        let backend = self.backend
        relay.connect { [weak broadcaster] in broadcaster?.update(Self.health(of: backend)) }
        switch backend {
        case .standalone(let session, let monitor):
            monitor?.start()
            session.start()
        case .cluster(let cluster):
            cluster.start()
        }
    }

    public convenience init(url: String) throws(RedisError) {
        try self.init(configuration: RedisConfiguration(url: url))
    }

    /// Messages dropped because the consumer was ``RedisConfiguration/subscriberBufferLimit`` behind.
    public var droppedMessages: Int { dropped.count.load(ordering: .relaxed) }

    // MARK: - Subscribing

    /// `SUBSCRIBE`: returns once the server confirmed every channel.
    public func subscribe(_ channels: [String]) async throws {
        try await change(.channel, subscribe: true, channels)
    }

    /// `PSUBSCRIBE` with glob patterns (`mqtt:*`).
    public func psubscribe(_ patterns: [String]) async throws {
        try await change(.pattern, subscribe: true, patterns)
    }

    /// `SSUBSCRIBE` (Redis 7 sharded pub/sub): in a cluster, at the node owning each channel's slot.
    public func ssubscribe(_ channels: [String]) async throws {
        try await change(.shardChannel, subscribe: true, channels)
    }

    /// `UNSUBSCRIBE`; no names means every channel.
    public func unsubscribe(_ channels: [String] = []) async throws {
        try await change(.channel, subscribe: false, channels)
    }

    public func punsubscribe(_ patterns: [String] = []) async throws {
        try await change(.pattern, subscribe: false, patterns)
    }

    public func sunsubscribe(_ channels: [String] = []) async throws {
        try await change(.shardChannel, subscribe: false, channels)
    }

    /// What the subscriber holds (or will hold again once reconnected).
    public var subscriptions: [RedisSubscriptionKind: Set<String>] {
        switch backend {
        case .standalone(let session, _):
            return session.wanted.filter { !$0.value.isEmpty }
        case .cluster(let cluster):
            var result = cluster.global.wanted.filter { !$0.value.isEmpty }
            let shards = cluster.wantedShards
            if !shards.isEmpty { result[.shardChannel] = shards }
            return result
        }
    }

    private func change(_ kind: RedisSubscriptionKind, subscribe: Bool, _ names: [String]) async throws {
        var names = names
        if names.isEmpty, !subscribe { names = Array(subscriptions[kind] ?? []) }
        switch backend {
        case .standalone(let session, _):
            try await session.change(kind, subscribe: subscribe, names: names)
        case .cluster(let cluster):
            try await cluster.change(kind, subscribe: subscribe, names: names)
        }
    }

    // MARK: - Health

    public var health: RedisHealth {
        let current = Self.health(of: backend)
        broadcaster.update(current)
        return current
    }

    public func healthUpdates() -> AsyncStream<RedisHealth> {
        broadcaster.stream()
    }

    private static func health(of backend: Backend) -> RedisHealth {
        let sessions: [SubscriberSession]
        switch backend {
        case .standalone(let session, _): sessions = [session]
        case .cluster(let cluster): sessions = cluster.sessions
        }
        let snapshots = sessions.map(\.snapshot)
        let state: RedisHealth.State
        if snapshots.contains(where: \.closed) {
            state = .closed
        } else if snapshots.allSatisfy(\.connected) {
            state = .connected
        } else if snapshots.contains(where: \.starting) {
            state = .connecting
        } else {
            state = .reconnecting
        }
        return RedisHealth(state: state, endpoint: snapshots.compactMap(\.endpoint).map(\.description).joined(separator: ","),
                           lastError: snapshots.compactMap(\.lastError).last,
                           connections: snapshots.filter(\.connected).count,
                           generation: snapshots.reduce(0) { $0 + $1.generation })
    }

    /// Closes the connections and finishes ``messages``.
    public func close() async {
        closed.store(true, ordering: .relaxed)
        await Self.close(backend)
        continuation.finish()
        broadcaster.finish(Self.health(of: backend))
    }

    private static func close(_ backend: Backend) async {
        switch backend {
        case .standalone(let session, let monitor):
            await monitor?.close()
            await session.close()
        case .cluster(let cluster):
            await cluster.close()
        }
    }

    /// A subscriber dropped without ``close()`` still closes its connections, in the background.
    deinit {
        if !closed.load(ordering: .relaxed) {
            let backend = self.backend
            let continuation = self.continuation
            Task {
                await Self.close(backend)
                continuation.finish()
            }
        }
    }
}

/// Shared between the subscriber and its message callback, which an `Atomic` alone cannot be.
private final class DropCounter: Sendable {
    let count = Atomic<Int>(0)
}
