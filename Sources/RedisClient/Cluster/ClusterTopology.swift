import Logging
import NIOCore
import Synchronization

/// The cluster's slot map and how to refresh it; shared logic of the router and the subscriber.
///
/// The map comes from `CLUSTER SHARDS` (or `CLUSTER SLOTS` on servers without it), asked of the known masters
/// first, then the seeds, on a short-lived connection. Concurrent refreshes share one fetch.
final class ClusterTopology: Sendable {
    private struct State {
        var map: ClusterSlotMap?
        var knownNodes: [RedisEndpoint]
        var refresh: Task<ClusterSlotMap, any Error>?
        var lastRefresh: ContinuousClock.Instant?
        var refreshError: RedisError?
        var refreshFailed = false
        var closed = false
    }

    private let configuration: RedisConfiguration
    private let connector: RedisConnector
    private let onUpdate: @Sendable (ClusterSlotMap) -> Void
    private let state: Mutex<State>

    init(seeds: [RedisEndpoint], configuration: RedisConfiguration, connector: RedisConnector,
         onUpdate: @escaping @Sendable (ClusterSlotMap) -> Void) {
        self.configuration = configuration
        self.connector = connector
        self.onUpdate = onUpdate
        state = Mutex(State(knownNodes: seeds))
    }

    var map: ClusterSlotMap? { state.withLock { $0.map } }

    /// Whether the latest refresh failed, and why.
    var refreshStatus: (failed: Bool, error: RedisError?) { state.withLock { ($0.refreshFailed, $0.refreshError) } }

    /// Known nodes, masters of the current map first.
    var nodes: [RedisEndpoint] {
        state.withLock { state in
            var seen = Set<RedisEndpoint>()
            return ((state.map?.masters ?? []) + state.knownNodes).filter { seen.insert($0).inserted }
        }
    }

    /// The current map, fetching it first if there is none yet.
    func currentMap() async throws -> ClusterSlotMap {
        if let map = state.withLock({ $0.map }) { return map }
        return try await refreshMap()
    }

    /// Records what a `MOVED` said, until the next refresh.
    func assign(slot: Int, to owner: RedisEndpoint) {
        state.withLock { $0.map?.assign(slot...slot, to: owner) }
    }

    /// Fetches the map from the first node that answers; concurrent callers share one fetch.
    @discardableResult
    func refreshMap() async throws -> ClusterSlotMap {
        let task: Task<ClusterSlotMap, any Error> = try state.withLock { state in
            if state.closed { throw RedisError.closedByOwner() }
            if let running = state.refresh { return running }
            let task = Task { try await self.fetchMap() }
            state.refresh = task
            return task
        }
        do {
            let map = try await task.value
            state.withLock { state in
                if state.refresh == task { state.refresh = nil }
                state.lastRefresh = .now
                state.map = map
                state.refreshFailed = false
                for master in map.masters where !state.knownNodes.contains(master) { state.knownNodes.append(master) }
            }
            onUpdate(map)
            return map
        } catch {
            let failure = RedisError.wrapping(error, as: .connectionFailed, endpoint: "cluster")
            let map: ClusterSlotMap? = state.withLock { state in
                if state.refresh == task { state.refresh = nil }
                state.lastRefresh = .now
                state.refreshError = failure
                state.refreshFailed = true
                return state.map
            }
            if let map { onUpdate(map) }
            throw failure
        }
    }

    /// Refreshes in the background unless one is running or ran in the last 100 ms.
    func scheduleRefresh() {
        let due = state.withLock { state in
            guard !state.closed, state.refresh == nil else { return false }
            if let last = state.lastRefresh, ContinuousClock.now - last < .milliseconds(100) { return false }
            return true
        }
        if due { Task { _ = try? await self.refreshMap() } }
    }

    func close() {
        let running = state.withLock { state in
            state.closed = true
            return state.refresh
        }
        running?.cancel()
    }

    private func fetchMap() async throws -> ClusterSlotMap {
        var failures: [String] = []
        for node in nodes {
            try Task.checkCancellation()
            do {
                let connection = try await connector.connect(to: node, on: configuration.eventLoopGroup.next())
                defer { _ = connection.close() }
                let timeout = configuration.connectTimeout.timeAmount
                let map: ClusterSlotMap
                do {
                    let reply = try await connection.sendChecked(RedisCommand("CLUSTER", ["SHARDS"]), timeout: timeout)
                    map = try ClusterSlotMap.fromShards(reply, asked: node, tls: configuration.tls != nil)
                } catch let error as RedisError where error.kind == .serverError {
                    let reply = try await connection.sendChecked(RedisCommand("CLUSTER", ["SLOTS"]), timeout: timeout)
                    map = try ClusterSlotMap.fromSlots(reply, asked: node)
                }
                guard !map.masters.isEmpty else {
                    failures.append("\(node): serves no slots")
                    continue
                }
                return map
            } catch {
                failures.append("\(node): \(RedisConnector.describe(error))")
            }
        }
        throw RedisError(.connectionFailed, "no cluster node gave a slot map: " + failures.joined(separator: "; "))
    }
}
