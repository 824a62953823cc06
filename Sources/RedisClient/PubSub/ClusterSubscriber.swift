import Logging
import NIOCore
import Synchronization

/// Pub/sub on a cluster: `SUBSCRIBE`/`PSUBSCRIBE` on one connection to any node (messages are broadcast
/// cluster-wide), and `SSUBSCRIBE` on a connection to each node owning subscribed shard channels.
///
/// A shard subscription follows its slot: a `MOVED` reply sends it to the new owner, a pushed `sunsubscribe`
/// (the slot migrated away) and a node that cannot be reached trigger a map refresh and a resubscribe at
/// the owner the map names.
final class ClusterSubscriber: Sendable {
    private struct State {
        var shardSessions: [RedisEndpoint: SubscriberSession] = [:]
        var wantedShards = Set<String>()
        var closed = false
        var nextNode = 0
    }

    let topology: ClusterTopology
    let global: SubscriberSession
    private let configuration: RedisConfiguration
    private let connector: RedisConnector
    private let onMessage: @Sendable (RedisPubSubMessage) -> Void
    private let onChange: @Sendable () -> Void
    private let logger: Logger
    private let state = Mutex(State())

    init(seeds: [RedisEndpoint], configuration: RedisConfiguration, connector: RedisConnector,
         onMessage: @escaping @Sendable (RedisPubSubMessage) -> Void, onChange: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.connector = connector
        self.onMessage = onMessage
        self.onChange = onChange
        logger = configuration.logger
        let topology = ClusterTopology(seeds: seeds, configuration: configuration, connector: connector, onUpdate: { _ in })
        self.topology = topology
        let rotation = Mutex(0)
        global = SubscriberSession(name: "cluster", configuration: configuration, shardBySlot: true,
                                   onMessage: onMessage, onChange: onChange) { eventLoop, handlers in
            let nodes = topology.nodes
            let start = rotation.withLock { value in
                defer { value += 1 }
                return value
            }
            var failures: [String] = []
            for offset in 0..<nodes.count {
                let node = nodes[(start + offset) % nodes.count]
                do {
                    return try await connector.connect(to: node, on: eventLoop, handlers: handlers)
                } catch {
                    failures.append("\(node): \(RedisConnector.describe(error))")
                }
            }
            throw RedisError(.connectionFailed, "no cluster node accepted the pub/sub connection: "
                             + failures.joined(separator: "; "))
        }
    }

    func start() {
        global.start()
    }

    var sessions: [SubscriberSession] {
        [global] + state.withLock { Array($0.shardSessions.values) }
    }

    func change(_ kind: RedisSubscriptionKind, subscribe: Bool, names: [String]) async throws {
        guard kind == .shardChannel else {
            try await global.change(kind, subscribe: subscribe, names: names)
            return
        }
        if subscribe {
            state.withLock { $0.wantedShards.formUnion(names) }
            do {
                try await subscribeShards(names)
            } catch {
                state.withLock { $0.wantedShards.subtract(names) }
                throw error
            }
        } else {
            state.withLock { $0.wantedShards.subtract(names) }
            for session in state.withLock({ Array($0.shardSessions.values) }) {
                let held = session.wanted[.shardChannel, default: []].intersection(names)
                guard !held.isEmpty else { continue }
                do {
                    try await session.change(.shardChannel, subscribe: false, names: Array(held))
                } catch {
                    session.forget(.shardChannel, names: Array(held))
                }
            }
        }
    }

    var wantedShards: Set<String> { state.withLock { $0.wantedShards } }

    /// Subscribes each channel at the node owning its slot, following up to three `MOVED` replies.
    private func subscribeShards(_ names: [String]) async throws {
        let map = try await topology.currentMap()
        var groups: [RedisEndpoint: [String]] = [:]
        for name in names {
            let slot = ClusterKeySlot.slot(of: name)
            guard let owner = map.owner(of: slot) else {
                throw RedisError(.redirectionFailed, "no node serves slot \(slot) of shard channel \(name)", command: "SSUBSCRIBE")
            }
            groups[owner, default: []].append(name)
        }
        for (owner, group) in groups {
            try await subscribe(group, at: owner, redirectsLeft: 3)
        }
    }

    private func subscribe(_ names: [String], at owner: RedisEndpoint, redirectsLeft: Int) async throws {
        do {
            try await session(for: owner).change(.shardChannel, subscribe: true, names: names)
        } catch let error as RedisError {
            guard redirectsLeft > 0, let message = error.serverMessage,
                  case .moved(let slot, let next)? = ClusterRedirect(message, current: owner) else { throw error }
            topology.assign(slot: slot, to: next)
            topology.scheduleRefresh()
            // All names of one command share a slot owner, not necessarily a slot: regroup at the new owner.
            try await subscribe(names, at: next, redirectsLeft: redirectsLeft - 1)
        }
    }

    private func session(for endpoint: RedisEndpoint) throws -> SubscriberSession {
        let (session, created) = try state.withLock { state throws(RedisError) -> (SubscriberSession, Bool) in
            if state.closed { throw RedisError.closedByOwner() }
            if let session = state.shardSessions[endpoint] { return (session, false) }
            let connector = self.connector
            let session = SubscriberSession(
                name: endpoint.description, configuration: configuration, shardBySlot: true, onMessage: onMessage,
                onUnsolicited: { [weak self] _, channel in self?.follow([channel]) },
                onConnectFailure: { [weak self] in self?.rebalance() },
                onChange: onChange
            ) { eventLoop, handlers in
                try await connector.connect(to: endpoint, on: eventLoop, handlers: handlers)
            }
            state.shardSessions[endpoint] = session
            return (session, true)
        }
        if created { session.start() }
        return session
    }

    /// The server dropped these shard channels (their slot moved): resubscribe where the map says now.
    private func follow(_ channels: [String]) {
        Task {
            for attempt in 0..<5 {
                let wanted = channels.filter { state.withLock { $0.wantedShards }.contains($0) }
                guard !wanted.isEmpty else { return }
                do {
                    try await topology.refreshMap()
                    try await subscribeShards(wanted)
                    logger.debug("shard channels followed their slot", metadata: ["redis.channels": "\(wanted)"])
                    return
                } catch {
                    try? await Task.sleep(for: configuration.reconnectBackoff.delay(attempt: attempt))
                }
            }
            logger.warning("could not follow shard channels to their new node", metadata: ["redis.channels": "\(channels)"])
        }
    }

    /// A node could not be reached: if the map gives its slots to another node, move its channels there.
    private func rebalance() {
        Task {
            guard let map = try? await topology.refreshMap() else { return }
            let sessions = state.withLock { $0.shardSessions }
            for (endpoint, session) in sessions {
                let misplaced = session.wanted[.shardChannel, default: []].filter {
                    map.owner(of: ClusterKeySlot.slot(of: $0)) != endpoint
                }
                guard !misplaced.isEmpty else { continue }
                session.forget(.shardChannel, names: Array(misplaced))
                follow(Array(misplaced))
            }
        }
    }

    func close() async {
        let sessions = state.withLock { state in
            state.closed = true
            return Array(state.shardSessions.values)
        }
        topology.close()
        await global.close()
        for session in sessions { await session.close() }
    }
}
