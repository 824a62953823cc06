import Logging
import NIOCore
import Synchronization

/// A fixed number of connections to one destination, each kept up by its own reconnect loop.
///
/// Built from a connection factory, so the same pool serves a plain server, a sentinel-resolved master and a
/// cluster node, and tests can hand it anything that yields connections. Commands are pipelined, so a
/// connection is shared, not leased: ``connection()`` hands them out round-robin. While the first attempts
/// are running, callers wait for them; afterwards, with no connection up, they fail fast with
/// ``RedisError/Kind/notConnected`` and the loops keep retrying with capped exponential backoff.
final class RedisConnectionPool: Sendable {
    typealias Factory = @Sendable (_ eventLoop: any EventLoop) async throws -> RedisConnection

    /// What the owner shows in ``RedisHealth``.
    struct Snapshot: Sendable, Hashable {
        var open: Int
        var starting: Bool
        var closed: Bool
        var lastError: RedisError?
        var latency: Duration?
        var endpoint: RedisEndpoint?
        var generation: Int
    }

    private struct State {
        var slots: [RedisConnection?]
        var firstAttemptsPending: Int
        var waiters: [Int: CheckedContinuation<RedisConnection, any Error>] = [:]
        var nextWaiterID = 0
        var next = 0
        var closed = false
        var lastError: RedisError?
        var latency: Duration?
        var generation = 0
        var tasks: [Task<Void, Never>] = []

        /// A connection on `eventLoop` if one is up (no thread hop for a caller already there), else any.
        mutating func pick(preferring eventLoop: any EventLoop) -> RedisConnection? {
            for connection in slots.lazy.compactMap({ $0 }) where connection.eventLoop === eventLoop && connection.isActive {
                return connection
            }
            return pick()
        }

        mutating func pick() -> RedisConnection? {
            for offset in 0..<slots.count {
                let index = (next + offset) % slots.count
                if let connection = slots[index], connection.isActive {
                    next = index + 1
                    return connection
                }
            }
            return nil
        }

        mutating func takeWaiters() -> [CheckedContinuation<RedisConnection, any Error>] {
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
    }

    /// For errors and logs: the endpoint, or what the factory resolves (`mymaster via sentinel`).
    let name: String
    private let factory: Factory
    private let group: any EventLoopGroup
    private let backoff: RedisConfiguration.Backoff
    private let healthCheckInterval: Duration?
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    private let accept: @Sendable (RedisConnection) -> Bool
    private let state: Mutex<State>

    /// - Parameter accept: checked under the pool's lock before a new connection is used; a sentinel pool
    ///   refuses one to a master demoted while it was being opened.
    init(name: String, size: Int, group: any EventLoopGroup, backoff: RedisConfiguration.Backoff,
         healthCheckInterval: Duration?, logger: Logger, onChange: @escaping @Sendable () -> Void,
         accept: @escaping @Sendable (RedisConnection) -> Bool = { _ in true },
         factory: @escaping Factory) {
        self.name = name
        self.accept = accept
        self.factory = factory
        self.group = group
        self.backoff = backoff
        self.healthCheckInterval = healthCheckInterval
        var logger = logger
        logger[metadataKey: "redis.endpoint"] = "\(name)"
        self.logger = logger
        self.onChange = onChange
        state = Mutex(State(slots: Array(repeating: nil, count: max(1, size)), firstAttemptsPending: max(1, size)))
    }

    /// Starts the reconnect loops (and the health check).
    func start() {
        state.withLock { state in
            guard !state.closed, state.tasks.isEmpty else { return }
            for index in state.slots.indices {
                state.tasks.append(Task { await self.runSlot(index) })
            }
            if let interval = healthCheckInterval {
                state.tasks.append(Task { await self.runHealthCheck(every: interval) })
            }
        }
    }

    var snapshot: Snapshot {
        state.withLock { state in
            let open = state.slots.compactMap { $0 }.filter(\.isActive)
            return Snapshot(open: open.count, starting: state.firstAttemptsPending > 0 && open.isEmpty,
                            closed: state.closed, lastError: state.lastError, latency: state.latency,
                            endpoint: open.first?.endpoint, generation: state.generation)
        }
    }

    /// A connection to send on; waits only while the first connection attempts are still running.
    func connection() async throws -> RedisConnection {
        enum Decision {
            case use(RedisConnection)
            case fail(RedisError)
            case wait
        }
        let decision: Decision = state.withLock { state in
            if let connection = state.pick() { return .use(connection) }
            if state.closed { return .fail(.closedByOwner()) }
            if state.firstAttemptsPending == 0 { return .fail(notConnected(state.lastError)) }
            return .wait
        }
        switch decision {
        case .use(let connection): return connection
        case .fail(let error): throw error
        case .wait: break
        }
        return try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<RedisConnection, RedisError>? = state.withLock { state in
                if let connection = state.pick() { return .success(connection) }
                if state.closed { return .failure(.closedByOwner()) }
                if state.firstAttemptsPending == 0 { return .failure(notConnected(state.lastError)) }
                state.waiters[state.nextWaiterID] = continuation
                state.nextWaiterID += 1
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// An open connection if there is one, without waiting.
    func connectionIfReady() -> RedisConnection? {
        state.withLock { $0.pick() }
    }

    /// An open connection without waiting, on `eventLoop` if possible.
    func connectionIfReady(preferring eventLoop: any EventLoop) -> RedisConnection? {
        state.withLock { $0.pick(preferring: eventLoop) }
    }

    private func notConnected(_ last: RedisError?) -> RedisError {
        var message = "no connection is up; reconnecting"
        if let last { message += " (last error: \(last.message))" }
        return RedisError(.notConnected, message, serverMessage: last?.serverMessage, endpoint: last?.endpoint ?? name, cause: last?.summary)
    }

    /// Closes the open connections that match, at once: no command is routed to them from now on. Their loops
    /// connect again through the factory (used when a sentinel announces a new master).
    func dropConnections(where predicate: (RedisConnection) -> Bool) {
        let victims: [RedisConnection] = state.withLock { state in
            var victims: [RedisConnection] = []
            for index in state.slots.indices {
                if let connection = state.slots[index], predicate(connection) {
                    victims.append(connection)
                    state.slots[index] = nil
                }
            }
            return victims
        }
        for connection in victims { _ = connection.close() }
        if !victims.isEmpty { onChange() }
    }

    /// Records a failure seen by a caller (a timeout, a lost connection) for health reporting.
    func record(_ error: RedisError) {
        state.withLock { $0.lastError = error }
        onChange()
    }

    /// Stops the loops, closes every connection, fails whoever waits; returns when all is closed.
    func close() async {
        let (connections, tasks, waiters): ([RedisConnection], [Task<Void, Never>], [CheckedContinuation<RedisConnection, any Error>])
            = state.withLock { state in
                state.closed = true
                let connections = state.slots.compactMap { $0 }
                state.slots = state.slots.map { _ in nil }
                return (connections, state.tasks, state.takeWaiters())
            }
        for waiter in waiters { waiter.resume(throwing: RedisError.closedByOwner()) }
        for task in tasks { task.cancel() }
        for connection in connections { _ = try? await connection.close().get() }
        for task in tasks { await task.value }
        onChange()
    }

    // MARK: - Loops

    private func runSlot(_ index: Int) async {
        var attempt = 0
        var firstAttempt = true
        while !Task.isCancelled {
            do {
                let connection = try await factory(group.next())
                let accepted: [CheckedContinuation<RedisConnection, any Error>]? = state.withLock { state in
                    guard !state.closed, accept(connection) else { return nil }
                    state.slots[index] = connection
                    state.generation += 1
                    if firstAttempt { state.firstAttemptsPending -= 1 }
                    return state.takeWaiters()
                }
                guard let waiters = accepted else {
                    _ = try? await connection.close().get()
                    if state.withLock({ $0.closed }) { return }
                    try? await Task.sleep(for: backoff.delay(attempt: attempt))
                    attempt += 1
                    continue
                }
                firstAttempt = false
                for waiter in waiters { waiter.resume(returning: connection) }
                RedisOutageLog.shared.connected(name, logger: logger)
                onChange()
                let connectedAt = ContinuousClock.now
                try? await connection.closeFuture.get()
                let cause = connection.failure.map { ": \($0.message)" } ?? ""
                let lost = RedisError(.connectionClosed, "the connection was lost" + cause,
                                      serverMessage: connection.failure?.serverMessage,
                                      endpoint: connection.endpoint.description)
                let wasClosed = state.withLock { state in
                    if state.slots[index] === connection { state.slots[index] = nil }
                    if !state.closed { state.lastError = lost }
                    return state.closed
                }
                if wasClosed { return }
                RedisOutageLog.shared.failed(name, reason: connection.failure?.message ?? "closed by the server",
                                             lost: true, logger: logger)
                onChange()
                // A connection that dies at once counts as a failed attempt, so a flapping server is not hammered.
                if ContinuousClock.now - connectedAt > .seconds(1) {
                    attempt = 0
                } else {
                    try? await Task.sleep(for: backoff.delay(attempt: attempt))
                    attempt += 1
                }
            } catch {
                let failure = RedisError.wrapping(error, as: .connectionFailed, endpoint: name)
                let waiters: [CheckedContinuation<RedisConnection, any Error>] = state.withLock { state in
                    guard !state.closed else { return [] }
                    state.lastError = failure
                    if firstAttempt { state.firstAttemptsPending -= 1 }
                    guard state.firstAttemptsPending == 0, state.pick() == nil else { return [] }
                    return state.takeWaiters()
                }
                firstAttempt = false
                for waiter in waiters { waiter.resume(throwing: failure) }
                let delay = backoff.delay(attempt: attempt)
                RedisOutageLog.shared.failed(name, reason: failure.outageReason, logger: logger)
                onChange()
                attempt += 1
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func runHealthCheck(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard let connection = connectionIfReady() else { continue }
            let start = ContinuousClock.now
            guard let reply = try? await connection.send(RedisCommand("PING"), timeout: nil).get(), reply.error == nil else {
                continue
            }
            let latency = ContinuousClock.now - start
            state.withLock { $0.latency = latency }
            onChange()
        }
    }
}
