import Logging
import NIOCore

/// One pool: a single server, or the master a sentinel monitor resolves.
final class StandaloneRouter: RedisRouter {
    let pool: RedisConnectionPool
    private let sentinel: SentinelMonitor?
    private let logger: Logger

    init(pool: RedisConnectionPool, sentinel: SentinelMonitor?, logger: Logger) {
        self.pool = pool
        self.sentinel = sentinel
        self.logger = logger
    }

    func start() {
        sentinel?.start()
        pool.start()
    }

    func send(_ command: RedisCommand, timeout: TimeAmount?) async throws -> RESPValue {
        let connection = try await pool.connection()
        do {
            return try await connection.sendChecked(command, timeout: timeout)
        } catch let error as RedisError {
            observe(error, on: connection)
            throw error
        }
    }

    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        let connection = try await pool.connection()
        let results = try await connection.send(batch: commands).get()
        for case .failure(let error) in results {
            observe(error, on: connection)
            if error.kind != .serverError { break }
        }
        return results
    }

    func pipeline(_ commands: [RedisCommand], on eventLoop: any EventLoop) -> EventLoopFuture<[Result<RESPValue, RedisError>]> {
        guard let connection = pool.connectionIfReady(preferring: eventLoop) else {
            return eventLoop.makeFutureWithTask { try await self.pipeline(commands) }
        }
        let future = connection.send(batch: commands)
        future.whenSuccess { results in
            for case .failure(let error) in results {
                self.observe(error, on: connection)
                if error.kind != .serverError { break }
            }
        }
        return future.hop(to: eventLoop)
    }

    /// Timeouts and lost connections show in health; a `READONLY` reply means the master we write to was
    /// demoted: drop its connections so they reconnect to the master the sentinels name now.
    private func observe(_ error: RedisError, on connection: RedisConnection) {
        switch error.kind {
        case .timeout, .connectionClosed:
            // The pool reports the lost connection once (RedisOutageLog); each command is detail.
            logger.debug("command failed", metadata: ["redis.endpoint": "\(connection.endpoint)",
                                                        "redis.command": "\(error.command ?? "?")",
                                                        "redis.error": "\(error.message)"])
            pool.record(error)
        case .serverError where error.serverCode == "READONLY" && sentinel != nil:
            logger.notice("write refused by a replica; re-resolving the master",
                          metadata: ["redis.endpoint": "\(connection.endpoint)", "redis.command": "\(error.command ?? "?")"])
            sentinel?.masterLooksStale(connection.endpoint)
            pool.dropConnections { $0.endpoint == connection.endpoint }
        default:
            break
        }
    }

    func scanTargets() async throws -> [RedisNodeSender] {
        [RedisNodeSender(endpoint: pool.name) { command in try await self.send(command, timeout: nil) }]
    }

    var health: RedisHealth {
        let snapshot = pool.snapshot
        let state: RedisHealth.State
        if snapshot.closed {
            state = .closed
        } else if snapshot.open > 0 {
            state = .connected
        } else if snapshot.starting {
            state = .connecting
        } else {
            state = .reconnecting
        }
        return RedisHealth(state: state, endpoint: snapshot.endpoint?.description ?? pool.name,
                           lastError: snapshot.lastError, latency: snapshot.latency, connections: snapshot.open,
                           generation: snapshot.generation)
    }

    func close() async {
        await sentinel?.close()
        await pool.close()
    }
}
