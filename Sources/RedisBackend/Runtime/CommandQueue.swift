import Collections
import Logging
import RedisClient
import RESP
import Synchronization

/// The ordered, bounded buffer of one pool's Redis commands, drained by one task in pipelined batches.
///
/// Hooks only enqueue (a lock and an append), so MQTT traffic never waits on Redis. While Redis is down
/// the commands wait here and are replayed in order once it is back; over the bound the oldest are dropped,
/// counted and logged. Reads go through the same queue, so a lookup sees every write enqueued before it.
final class CommandQueue: Sendable {
    /// One command and what to do with its reply.
    struct Entry: Sendable {
        let command: RedisCommand
        /// The rule that produced it, for error messages (`file:line`).
        let origin: String
        /// Said by the caller; otherwise looked up by command name, and only when a send failed (a set
        /// lookup per stored command was a few percent of the publish path).
        private let declaredIdempotent: Bool?
        let completion: (@Sendable (Result<RESPValue, any Error>) -> Void)?

        init(command: RedisCommand, origin: String, idempotent: Bool? = nil,
             completion: (@Sendable (Result<RESPValue, any Error>) -> Void)? = nil) {
            self.command = command
            self.origin = origin
            declaredIdempotent = idempotent
            self.completion = completion
        }

        /// Running it twice leaves Redis as running it once: it may be sent again when its first send timed
        /// out or its connection dropped, and nobody knows whether Redis ran it.
        var idempotent: Bool { declaredIdempotent ?? IdempotentCommands.contains(command.name) }
    }

    private struct State: ~Copyable {
        var entries: Deque<Entry> = []
        var waiter: CheckedContinuation<Void, Never>?
        var dropped = 0
        var closed = false
        /// The writer has stopped: nothing enqueued now would ever be sent.
        var finished = false
        /// A batch is out, its replies not all handed over yet.
        var sending = false
        /// The deepest the queue has been since its storage was last released.
        var highWater = 0
        var lastRelease: ContinuousClock.Instant?
    }

    /// A backlog this deep (an outage) gets its storage released once drained, at most once per interval, so
    /// a heavy load that fills and empties the queue all the time does not trim the heap all the time.
    static let backlogWorthReleasing = 10_000
    static let releaseInterval: Duration = .seconds(30)

    let pool: String
    let capacity: Int
    let batchSize: Int
    private let state = Mutex(State())
    private let logger: Logger
    /// Counters for the console and `$SYS`.
    let stats = QueueStats()

    init(pool: String, capacity: Int, batchSize: Int = 1024, logger: Logger) {
        self.pool = pool
        self.capacity = capacity
        self.batchSize = batchSize
        var logger = logger
        logger[metadataKey: "pool"] = "\(pool)"
        self.logger = logger
    }

    /// Appends `entries` together and in order. Never blocks beyond a short lock; completions (of commands
    /// dropped to make room) run after it is released.
    func enqueue(_ entries: [Entry]) {
        guard !entries.isEmpty else { return }
        let (waiter, dropped, totalDropped, refused) = state.withLock { state
            -> (CheckedContinuation<Void, Never>?, [Entry], Int, Bool) in
            if state.finished { return (nil, [], state.dropped, true) }
            state.entries.append(contentsOf: entries)
            state.highWater = max(state.highWater, state.entries.count)
            var dropped: [Entry] = []
            while state.entries.count > capacity {
                dropped.append(state.entries.removeFirst())
            }
            state.dropped += dropped.count
            let waiter = state.waiter
            state.waiter = nil
            return (waiter, dropped, state.dropped, false)
        }
        if refused {
            logger.error("\(entries.count) command(s) after shutdown not written (rule at \(entries[0].origin))")
            for entry in entries { entry.completion?(.failure(RedisQueueStopped(command: entry.command.name))) }
            return
        }
        for entry in dropped { entry.completion?(.failure(BackendBufferOverflow(command: entry.command.name))) }
        stats.depth.store(depth, ordering: .relaxed)
        if !dropped.isEmpty {
            stats.dropped.store(totalDropped, ordering: .relaxed)
            // A log line per power of two keeps an outage from flooding the log.
            if totalDropped & (totalDropped - dropped.count) == 0 || totalDropped == dropped.count {
                logger.error("backend buffer full (\(capacity) commands): dropped the oldest; \(totalDropped) dropped so far")
            }
        }
        waiter?.resume()
    }

    func enqueue(_ command: RedisCommand, origin: String,
                 completion: (@Sendable (Result<RESPValue, any Error>) -> Void)? = nil) {
        enqueue([Entry(command: command, origin: origin, completion: completion)])
    }

    var depth: Int { state.withLock { $0.entries.count } }
    /// Nothing waiting and nothing in flight.
    var isIdle: Bool { state.withLock { $0.entries.isEmpty && !$0.sending } }

    /// Sends batches until `close()`; failed sends are retried in order with capped backoff.
    ///
    /// Outages are reported by the Redis client (`RedisOutageLog`), with this queue's depth in its summaries.
    func run(on client: some RedisPipelining) async {
        let detail = RedisOutageLog.shared.addDetail { [self] in
            "pool \(pool): \(depth) command(s) buffered, \(stats.dropped.load(ordering: .relaxed)) dropped"
        }
        var backoff = Duration.milliseconds(50)
        var pending: [Entry] = []
        defer {
            RedisOutageLog.shared.removeDetail(detail)
            // Stopped (cancelled at the shutdown deadline): nothing left may wait for a reply forever.
            stop(unsent: pending)
        }
        while let batch = await nextBatch() {
            pending = batch
            while !pending.isEmpty {
                let results: [Result<RESPValue, RedisError>]
                do {
                    results = try await client.pipeline(pending.map(\.command))
                } catch {
                    if isClosed && Task.isCancelled { return }
                    logger.debug("batch of \(pending.count) not sent, holding it for replay: \(error)")
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(2))
                    continue
                }
                let before = pending.count
                pending = complete(pending, with: results)
                stats.sent.add(before - pending.count, ordering: .relaxed)
                if pending.count < before {
                    backoff = .milliseconds(50)
                } else {
                    if isClosed && Task.isCancelled { return }
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(2))
                }
            }
            batchDone()
        }
    }

    /// Hands each reply to its entry; returns the entries to send again, in order.
    ///
    /// A command that never reached Redis is sent again. One whose fate is unknown (a timeout, a dropped
    /// connection) is sent again only if it is idempotent; otherwise running it twice could do harm (a
    /// template's RPUSH), so it is counted and logged as possibly not written. Every failed command of the
    /// batch is judged on its own, not only the first.
    private func complete(_ pending: [Entry], with results: [Result<RESPValue, RedisError>]) -> [Entry] {
        var again: [Entry] = []
        for (entry, result) in zip(pending, results) {
            if case .failure(let error) = result {
                if error.neverSent || (error.fateUnknown && entry.idempotent) {
                    again.append(entry)
                    continue
                }
                if error.fateUnknown {
                    stats.unsure.add(1, ordering: .relaxed)
                    logger.error("\(entry.command.displayName) (rule at \(entry.origin)) may not have been written: \(error.kind), and it is not safe to send twice")
                } else {
                    logger.error("\(entry.command.displayName) failed (rule at \(entry.origin)): \(error)")
                    stats.errors.add(1, ordering: .relaxed)
                }
            }
            entry.completion?(result.mapError { $0 as any Error })
        }
        // A reply short of the batch (never expected) leaves the rest to send again.
        again += pending.dropFirst(results.count)
        return again
    }

    /// The writer ends: what it holds and what is queued are failed with ``RedisQueueStopped``, counted,
    /// and said once; later enqueues fail at once.
    private func stop(unsent: [Entry]) {
        let left = state.withLock { state -> [Entry] in
            state.finished = true
            state.sending = false
            defer { state.entries.removeAll() }
            return Array(state.entries)
        }
        let lost = unsent + left
        guard !lost.isEmpty else { return }
        stats.dropped.add(lost.count, ordering: .relaxed)
        logger.error("backend stopped with \(lost.count) command(s) not written (first from the rule at \(lost[0].origin))")
        for entry in lost { entry.completion?(.failure(RedisQueueStopped(command: entry.command.name))) }
    }

    /// Publishes the depth, and once an outage's backlog has drained gives its memory back: a deque keeps its
    /// largest capacity, and the allocator its freed pages, so the process would stay at its outage size.
    private func batchDone() {
        let (depth, released) = state.withLock { state -> (Int, Int?) in
            state.sending = false
            guard state.entries.isEmpty, state.highWater >= Self.backlogWorthReleasing else {
                return (state.entries.count, nil)
            }
            let now = ContinuousClock.now
            if let last = state.lastRelease, now - last < Self.releaseInterval { return (0, nil) }
            let backlog = state.highWater
            state.lastRelease = now
            state.highWater = 0
            state.entries = Deque()
            return (0, backlog)
        }
        stats.depth.store(depth, ordering: .relaxed)
        guard let backlog = released else { return }
        FreedMemory.returnToSystem()
        logger.notice("backlog of \(backlog) commands drained; its memory is released")
    }

    private var isClosed: Bool { state.withLock { $0.closed } }

    /// The next batch, waiting while the queue is empty; nil once closed and drained.
    private func nextBatch() async -> [Entry]? {
        while true {
            let batch = state.withLock { state -> [Entry]? in
                if state.entries.isEmpty {
                    guard state.closed else { return [] }
                    // Decided under the lock: an enqueue from now on fails instead of waiting for nobody.
                    state.finished = true
                    return nil
                }
                let count = min(batchSize, state.entries.count)
                let batch = Array(state.entries.prefix(count))
                state.entries.removeFirst(count)
                state.sending = true
                return batch
            }
            guard let batch else { return nil }
            if !batch.isEmpty { return batch }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if !state.entries.isEmpty || state.closed { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// Stops taking batches once the queue is empty.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}

/// A queue's counters, readable from any thread.
final class QueueStats: Sendable {
    let depth = Atomic<Int>(0)
    let dropped = Atomic<Int>(0)
    let sent = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    /// Non-idempotent commands whose send timed out or lost its connection: maybe written, maybe not.
    let unsure = Atomic<Int>(0)
}

/// Whatever sends a batch of commands in one write: the pool's `RedisClient`.
protocol RedisPipelining: Sendable {
    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>]
}

extension RedisClient: RedisPipelining {}

extension RedisError {
    /// The command never reached Redis: sending it again is always safe.
    var neverSent: Bool { kind == .notConnected || kind == .connectionFailed }
    /// Redis may or may not have run it.
    var fateUnknown: Bool { kind == .connectionClosed || kind == .timeout }
}

/// Commands that leave Redis the same when run twice; the rest are retried only when surely not sent.
enum IdempotentCommands {
    static let names: Set<String> = [
        "GET", "MGET", "HGET", "HGETALL", "HMGET", "HEXISTS", "HLEN", "EXISTS", "TYPE", "TTL", "PTTL", "ZRANGE",
        "ZRANGEBYSCORE", "ZCARD", "ZSCORE", "SMEMBERS", "SISMEMBER", "SCARD", "LRANGE", "LLEN", "SCAN", "PING",
        "SET", "MSET", "HSET", "HMSET", "HDEL", "DEL", "UNLINK", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT",
        "PERSIST", "ZADD", "ZREM", "ZREMRANGEBYSCORE", "SADD", "SREM",
    ]

    static func contains(_ name: String) -> Bool { names.contains(name.uppercased()) }
}

/// A command enqueued after the backend stopped.
struct RedisQueueStopped: Error, CustomStringConvertible {
    let command: String
    var description: String { "\(command) not written: the backend has stopped" }
}

/// A command dropped because the buffer overflowed while Redis was unreachable.
struct BackendBufferOverflow: Error, CustomStringConvertible {
    let command: String
    var description: String { "\(command) dropped: backend buffer full while Redis was unreachable" }
}
