import Logging
import NIOCore
import Synchronization

/// Routes commands by key slot to per-node pools and follows the cluster as it changes.
///
/// The slot map comes from `CLUSTER SHARDS` (or `CLUSTER SLOTS`), asked of any known node. `MOVED` patches
/// the map at once, retries at the new owner and refreshes the whole map in the background; `ASK` retries
/// once at the importing node with `ASKING` written just before the command; `TRYAGAIN` (keys of one command
/// split by a migration) waits briefly and retries. A node that cannot be reached triggers a refresh, and the
/// command is retried if its slot has a new owner.
final class ClusterRouter: RedisRouter {
    private struct State {
        var pools: [RedisEndpoint: RedisConnectionPool] = [:]
        var closed = false
        var background: Task<Void, Never>?
    }

    private let configuration: RedisConfiguration
    private let connector: RedisConnector
    private let onChange: @Sendable () -> Void
    private let state: Mutex<State>
    private let topology: ClusterTopology
    private let logger: Logger

    init(seeds: [RedisEndpoint], configuration: RedisConfiguration, connector: RedisConnector,
         onChange: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.connector = connector
        self.onChange = onChange
        logger = configuration.logger
        let relay = Relay<ClusterSlotMap>()
        topology = ClusterTopology(seeds: seeds, configuration: configuration, connector: connector,
                                   onUpdate: relay.fire)
        state = Mutex(State())
        relay.connect { [weak self] map in self?.mapChanged(map) }
    }

    func start() {
        let task = Task { _ = try? await self.topology.refreshMap() }
        state.withLock { $0.background = task }
    }

    /// Opens pools for new masters and retires those of nodes that no longer serve slots.
    private func mapChanged(_ map: ClusterSlotMap) {
        let retired: [RedisConnectionPool] = state.withLock { state in
            guard !state.closed else { return [] }
            let masters = Set(map.masters)
            for master in masters where state.pools[master] == nil {
                state.pools[master] = makePool(master)
            }
            let gone = state.pools.keys.filter { !masters.contains($0) }
            return gone.compactMap { state.pools.removeValue(forKey: $0) }
        }
        if !retired.isEmpty { Task { for pool in retired { await pool.close() } } }
        onChange()
    }

    private func makePool(_ endpoint: RedisEndpoint) -> RedisConnectionPool {
        let connector = self.connector
        let pool = RedisConnectionPool(
            name: endpoint.description, size: configuration.poolSize, group: configuration.eventLoopGroup,
            backoff: configuration.reconnectBackoff, healthCheckInterval: configuration.healthCheckInterval,
            logger: configuration.logger, onChange: onChange
        ) { eventLoop in
            try await connector.connect(to: endpoint, on: eventLoop)
        }
        pool.start()
        return pool
    }

    /// The pool for `endpoint`, created if a redirect names a node not in the map yet.
    private func pool(for endpoint: RedisEndpoint) throws -> RedisConnectionPool {
        try state.withLock { state in
            if state.closed { throw RedisError.closedByOwner() }
            if let pool = state.pools[endpoint] { return pool }
            let pool = makePool(endpoint)
            state.pools[endpoint] = pool
            return pool
        }
    }

    private func target(for command: RedisCommand, in map: ClusterSlotMap) throws -> RedisEndpoint {
        if let key = command.routingKey {
            let slot = ClusterKeySlot.slot(of: key)
            guard let owner = map.owner(of: slot) else {
                throw RedisError(.redirectionFailed, "no node serves slot \(slot)", command: command.displayName)
            }
            return owner
        }
        let masters = map.masters
        guard !masters.isEmpty else { throw RedisError(.redirectionFailed, "the cluster has no masters") }
        return masters[Int.random(in: 0..<masters.count)]
    }

    // MARK: - Commands

    func send(_ command: RedisCommand, timeout: TimeAmount?) async throws -> RESPValue {
        let map = try await topology.currentMap()
        return try await send(command, to: try target(for: command, in: map), asking: false, timeout: timeout)
    }

    /// Sends to `start`, following redirects up to the configured limit.
    private func send(_ command: RedisCommand, to start: RedisEndpoint, asking startAsking: Bool,
                      timeout: TimeAmount?) async throws -> RESPValue {
        var target = start
        var asking = startAsking
        var retriedAfterRefresh = false
        var hops = 0
        while true {
            let value: RESPValue
            do {
                let connection = try await pool(for: target).connection()
                if asking {
                    let results = try await connection.send(batch: [RedisCommand("ASKING"), command], timeout: timeout).get()
                    value = try results[1].get()
                } else {
                    value = try await connection.sendChecked(command, timeout: timeout)
                }
                return value
            } catch let error as RedisError {
                hops += 1
                guard hops <= configuration.maxRedirects else {
                    throw RedisError(.redirectionFailed, "gave up after \(configuration.maxRedirects) redirects; last: \(error.message)",
                                     serverMessage: error.serverMessage, command: command.displayName, endpoint: target.description)
                }
                switch try await nextStep(after: error, command: command, target: target, retried: &retriedAfterRefresh,
                                          hops: hops) {
                case .retry(let next, let ask):
                    target = next
                    asking = ask
                }
            }
        }
    }

    private enum Step {
        case retry(RedisEndpoint, asking: Bool)
    }

    /// What to do after `error` from `target`: where to retry, or rethrow.
    private func nextStep(after error: RedisError, command: RedisCommand, target: RedisEndpoint,
                          retried: inout Bool, hops: Int) async throws -> Step {
        switch error.kind {
        case .serverError:
            guard let message = error.serverMessage else { throw error }
            if let redirect = ClusterRedirect(message, current: target) {
                switch redirect {
                case .moved(let slot, let owner):
                    logger.debug("MOVED", metadata: ["redis.command": "\(command.displayName)", "redis.slot": "\(slot)",
                                                     "redis.endpoint": "\(owner)"])
                    topology.assign(slot: slot, to: owner)
                    topology.scheduleRefresh()
                    return .retry(owner, asking: false)
                case .ask(let slot, let node):
                    logger.debug("ASK", metadata: ["redis.command": "\(command.displayName)", "redis.slot": "\(slot)",
                                                   "redis.endpoint": "\(node)"])
                    return .retry(node, asking: true)
                }
            }
            switch error.serverCode {
            case "TRYAGAIN":
                try await Task.sleep(for: .milliseconds(20 * hops))
                return .retry(target, asking: false)
            case "CLUSTERDOWN":
                topology.scheduleRefresh()
                throw error
            default:
                throw error
            }
        case .notConnected, .connectionFailed:
            // The node may be gone after a failover: retry once if the fresh map names another owner.
            guard !retried, let key = command.routingKey else { throw error }
            retried = true
            guard let map = try? await topology.refreshMap(), let owner = map.owner(of: ClusterKeySlot.slot(of: key)),
                  owner != target else { throw error }
            return .retry(owner, asking: false)
        default:
            throw error
        }
    }

    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        let map = try await topology.currentMap()
        var groups: [RedisEndpoint: [Int]] = [:]
        var results = [Result<RESPValue, RedisError>](repeating: .failure(RedisError(.protocolError, "no reply")),
                                                      count: commands.count)
        for (index, command) in commands.enumerated() {
            do {
                groups[try target(for: command, in: map), default: []].append(index)
            } catch let error as RedisError {
                results[index] = .failure(error)
            }
        }
        // Write every node's batch first, then collect: the nodes work in parallel without extra tasks.
        var pending: [(indices: [Int], endpoint: RedisEndpoint, future: EventLoopFuture<[Result<RESPValue, RedisError>]>)] = []
        for (endpoint, indices) in groups {
            do {
                let connection = try await pool(for: endpoint).connection()
                pending.append((indices, endpoint, connection.send(batch: indices.map { commands[$0] })))
            } catch {
                let failure = RedisError.wrapping(error, as: .notConnected, endpoint: endpoint.description)
                for index in indices { results[index] = .failure(failure.with(command: commands[index].displayName)) }
            }
        }
        for batch in pending {
            let replies = try await batch.future.get()
            for (offset, index) in batch.indices.enumerated() { results[index] = replies[offset] }
        }
        // Redirected commands are retried one by one through the redirect logic.
        for index in results.indices {
            guard case .failure(let error) = results[index], error.kind == .serverError,
                  let code = error.serverCode, ["MOVED", "ASK", "TRYAGAIN"].contains(code),
                  let endpoint = error.endpoint.flatMap({ RedisEndpoint(hostPort: Substring($0)) }) else { continue }
            do {
                let next = try await nextStepForPipeline(error, command: commands[index], from: endpoint)
                results[index] = .success(try await send(commands[index], to: next.0, asking: next.1, timeout: nil))
            } catch let error as RedisError {
                results[index] = .failure(error)
            }
        }
        return results
    }

    func pipeline(_ commands: [RedisCommand], on eventLoop: any EventLoop) -> EventLoopFuture<[Result<RESPValue, RedisError>]> {
        eventLoop.makeFutureWithTask { try await self.pipeline(commands) }
    }

    private func nextStepForPipeline(_ error: RedisError, command: RedisCommand, from endpoint: RedisEndpoint)
        async throws -> (RedisEndpoint, Bool) {
        var retried = false
        switch try await nextStep(after: error, command: command, target: endpoint, retried: &retried, hops: 1) {
        case .retry(let next, let asking): return (next, asking)
        }
    }

    func scanTargets() async throws -> [RedisNodeSender] {
        let map = try await topology.currentMap()
        return try map.masters.map { master in
            let pool = try pool(for: master)
            return RedisNodeSender(endpoint: master.description) { command in
                try await pool.connection().sendChecked(command, timeout: nil)
            }
        }
    }

    // MARK: - Health and closing

    var health: RedisHealth {
        let (pools, closed) = state.withLock { ($0.pools, $0.closed) }
        let map = topology.map
        let (refreshFailed, refreshError) = topology.refreshStatus
        let masters = map?.masters ?? []
        let snapshots = masters.compactMap { pools[$0]?.snapshot }
        let state: RedisHealth.State
        if closed {
            state = .closed
        } else if map != nil, !snapshots.isEmpty, snapshots.count == masters.count, snapshots.allSatisfy({ $0.open > 0 }) {
            state = .connected
        } else if (map == nil && !refreshFailed) || snapshots.contains(where: \.starting) {
            state = .connecting
        } else {
            state = .reconnecting
        }
        let errors = snapshots.compactMap(\.lastError) + (refreshError.map { [$0] } ?? [])
        return RedisHealth(state: state,
                           endpoint: masters.isEmpty ? "cluster" : "cluster " + masters.map(\.description).joined(separator: ","),
                           lastError: errors.last, latency: snapshots.compactMap(\.latency).max(),
                           connections: snapshots.reduce(0) { $0 + $1.open },
                           generation: snapshots.reduce(0) { $0 + $1.generation })
    }

    func close() async {
        let (pools, background) = state.withLock { state in
            state.closed = true
            defer { state.pools.removeAll() }
            return (Array(state.pools.values), state.background)
        }
        topology.close()
        background?.cancel()
        for pool in pools { await pool.close() }
        _ = await background?.value
    }
}
