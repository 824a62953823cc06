import Logging
import NIOCore
import Synchronization

/// One pub/sub connection and the subscriptions it should hold, re-made after every reconnect.
///
/// The wanted subscriptions are the source of truth; a reconnect loop (capped exponential backoff) opens a
/// connection and subscribes to all of them before anything else. Changes are written while holding the
/// state lock, so the order on the wire is the order of the calls, also against a resubscribe in flight.
final class SubscriberSession: Sendable {
    typealias Factory = @Sendable (_ eventLoop: any EventLoop, _ handlers: RedisPushHandlers) async throws -> RedisConnection

    private struct State {
        var wanted: [RedisSubscriptionKind: Set<String>] = [:]
        var connection: RedisConnection?
        var firstAttemptPending = true
        var waiters: [CheckedContinuation<RedisConnection, any Error>] = []
        var closed = false
        var lastError: RedisError?
        var generation = 0
        var task: Task<Void, Never>?

        /// The connection if it is up; throws if the session is closed.
        func ready() throws(RedisError) -> RedisConnection? {
            if closed { throw RedisError.closedByOwner() }
            if let connection, connection.isActive { return connection }
            return nil
        }
    }

    let name: String
    private let factory: Factory
    private let group: any EventLoopGroup
    private let backoff: RedisConfiguration.Backoff
    private let logger: Logger
    /// Cluster nodes refuse `SSUBSCRIBE` of channels in different slots; send one command per slot there.
    private let shardBySlot: Bool
    private let handlers: RedisPushHandlers
    private let onChange: @Sendable () -> Void
    private let onUnsolicited: @Sendable (RedisSubscriptionKind, String) -> Void
    private let onConnectFailure: @Sendable () -> Void
    private let state = Mutex(State())

    init(name: String, configuration: RedisConfiguration, shardBySlot: Bool,
         onMessage: @escaping @Sendable (RedisPubSubMessage) -> Void,
         onUnsolicited: @escaping @Sendable (RedisSubscriptionKind, String) -> Void = { _, _ in },
         onConnectFailure: @escaping @Sendable () -> Void = {},
         onChange: @escaping @Sendable () -> Void, factory: @escaping Factory) {
        self.name = name
        self.factory = factory
        group = configuration.eventLoopGroup
        backoff = configuration.reconnectBackoff
        var logger = configuration.logger
        logger[metadataKey: "redis.endpoint"] = "\(name)"
        self.logger = logger
        self.shardBySlot = shardBySlot
        self.onChange = onChange
        self.onUnsolicited = onUnsolicited
        self.onConnectFailure = onConnectFailure
        let relay = Relay<(RedisSubscriptionKind, String)>()
        handlers = RedisPushHandlers(onMessage: onMessage, onUnsolicitedUnsubscribe: { relay.fire(($0, $1)) })
        relay.connect { [weak self] kind, name in self?.lost(kind, name) }
    }

    func start() {
        state.withLock { state in
            guard state.task == nil, !state.closed else { return }
            state.task = Task { await self.run() }
        }
    }

    var wanted: [RedisSubscriptionKind: Set<String>] { state.withLock { $0.wanted } }

    var isEmpty: Bool { state.withLock { $0.wanted.values.allSatisfy(\.isEmpty) } }

    struct Snapshot: Sendable {
        var connected: Bool
        var starting: Bool
        var closed: Bool
        var lastError: RedisError?
        var generation: Int
        var endpoint: RedisEndpoint?
    }

    var snapshot: Snapshot {
        state.withLock { state in
            Snapshot(connected: state.connection?.isActive == true, starting: state.firstAttemptPending,
                     closed: state.closed, lastError: state.lastError, generation: state.generation,
                     endpoint: state.connection?.endpoint)
        }
    }

    /// Subscribes or unsubscribes; returns once the server confirmed every name.
    ///
    /// Fails fast with ``RedisError/Kind/notConnected`` when no connection is up; a failed subscribe is not
    /// remembered (retry it), a failed unsubscribe is (the next connection will not have it).
    func change(_ kind: RedisSubscriptionKind, subscribe: Bool, names: [String]) async throws {
        let names = Array(Set(names))
        guard !names.isEmpty else { return }
        var connection = try state.withLock { state in try state.ready() }
        if connection == nil { connection = try await waitForFirstConnection() }
        guard let connection else { throw RedisError(.notConnected, "no pub/sub connection", endpoint: name) }
        let (futures, added) = try state.withLock { state throws(RedisError) -> ([EventLoopFuture<Void>], [String]) in
            guard let current = state.connection, current === connection, current.isActive else {
                throw notConnected(state.lastError)
            }
            var added: [String] = []
            if subscribe {
                added = names.filter { state.wanted[kind, default: []].insert($0).inserted }
            } else {
                state.wanted[kind, default: []].subtract(names)
            }
            return (write(kind, subscribe: subscribe, names: names, on: current), added)
        }
        do {
            for future in futures { try await future.get() }
        } catch {
            if subscribe { state.withLock { $0.wanted[kind, default: []].subtract(added) } }
            throw RedisError.wrapping(error, as: .connectionClosed, endpoint: connection.endpoint.description,
                                      command: subscribe ? kind.subscribeCommand : kind.unsubscribeCommand)
        }
    }

    /// Forgets names without telling the server (its connection is gone, or the server dropped them).
    func forget(_ kind: RedisSubscriptionKind, names: [String]) {
        state.withLock { $0.wanted[kind, default: []].subtract(names) }
    }

    /// Drops the connection; the loop reconnects (to a new master after a failover) and resubscribes.
    func reconnect() {
        let connection = state.withLock { state -> RedisConnection? in
            defer { state.connection = nil }
            return state.connection
        }
        if let connection { _ = connection.close() }
    }

    func close() async {
        let (connection, task, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters.removeAll()
                state.connection = nil
            }
            return (state.connection, state.task, state.waiters)
        }
        for waiter in waiters { waiter.resume(throwing: RedisError.closedByOwner()) }
        task?.cancel()
        if let connection { _ = try? await connection.close().get() }
        await task?.value
    }

    // MARK: - Internals

    private func write(_ kind: RedisSubscriptionKind, subscribe: Bool, names: [String],
                       on connection: RedisConnection) -> [EventLoopFuture<Void>] {
        guard kind == .shardChannel, shardBySlot else {
            return [connection.subscription(kind, subscribe: subscribe, names: names)]
        }
        let bySlot = Dictionary(grouping: names) { ClusterKeySlot.slot(of: $0) }
        return bySlot.values.map { connection.subscription(kind, subscribe: subscribe, names: $0) }
    }

    /// The server dropped a subscription by itself (`sunsubscribe` after a slot migration).
    private func lost(_ kind: RedisSubscriptionKind, _ channel: String) {
        let wasWanted = state.withLock { $0.wanted[kind]?.remove(channel) != nil }
        if wasWanted { onUnsolicited(kind, channel) }
    }

    private func notConnected(_ last: RedisError?) -> RedisError {
        var message = "the pub/sub connection is down; reconnecting"
        if let last { message += " (last error: \(last.message))" }
        return RedisError(.notConnected, message, serverMessage: last?.serverMessage, endpoint: name, cause: last?.summary)
    }

    private func waitForFirstConnection() async throws -> RedisConnection {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<RedisConnection, RedisError>? = state.withLock { state in
                do {
                    if let ready = try state.ready() { return .success(ready) }
                } catch {
                    return .failure(error as? RedisError ?? .closedByOwner())
                }
                if !state.firstAttemptPending { return .failure(notConnected(state.lastError)) }
                state.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    private func run() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await factory(group.next(), handlers)
                let setup: ([EventLoopFuture<Void>], [CheckedContinuation<RedisConnection, any Error>])? =
                    state.withLock { state in
                        guard !state.closed else { return nil }
                        var futures: [EventLoopFuture<Void>] = []
                        for (kind, names) in state.wanted where !names.isEmpty {
                            futures += write(kind, subscribe: true, names: Array(names), on: connection)
                        }
                        state.connection = connection
                        state.firstAttemptPending = false
                        state.generation += 1
                        defer { state.waiters.removeAll() }
                        return (futures, state.waiters)
                    }
                guard let (futures, waiters) = setup else {
                    _ = try? await connection.close().get()
                    return
                }
                for waiter in waiters { waiter.resume(returning: connection) }
                RedisOutageLog.shared.connected(name, logger: logger)
                let connectedAt = ContinuousClock.now
                var resubscribed = true
                do {
                    for future in futures { try await future.get() }
                    onChange()
                } catch {
                    // Could not resubscribe (permissions changed, the slot moved): start over after a pause.
                    resubscribed = false
                    let failure = RedisError.wrapping(error, as: .connectionFailed, endpoint: connection.endpoint.description)
                    state.withLock { $0.lastError = failure }
                    logger.warning("resubscribe failed", metadata: ["redis.error": "\(failure)"])
                    _ = try? await connection.close().get()
                    onConnectFailure()
                }
                try? await connection.closeFuture.get()
                let closed = state.withLock { state in
                    if state.connection === connection { state.connection = nil }
                    if !state.closed, resubscribed {
                        state.lastError = RedisError(.connectionClosed, "the pub/sub connection was lost",
                                                     endpoint: connection.endpoint.description)
                    }
                    return state.closed
                }
                if closed { return }
                if resubscribed {
                    RedisOutageLog.shared.failed(name, reason: connection.failure?.message ?? "closed by the server",
                                                 lost: true, logger: logger)
                }
                onChange()
                // Reconnect at once after a connection that lived; back off after one that failed at once.
                if resubscribed, ContinuousClock.now - connectedAt > .seconds(1) {
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
                    state.firstAttemptPending = false
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume(throwing: failure) }
                RedisOutageLog.shared.failed(name, reason: failure.outageReason, logger: logger)
                onChange()
                onConnectFailure()
                try? await Task.sleep(for: backoff.delay(attempt: attempt))
                attempt += 1
            }
        }
    }
}
