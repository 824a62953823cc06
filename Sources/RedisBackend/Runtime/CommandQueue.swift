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
        let completion: (@Sendable (Result<RESPValue, any Error>) -> Void)?
    }

    private struct State: ~Copyable {
        var entries: Deque<Entry> = []
        var waiter: CheckedContinuation<Void, Never>?
        var dropped = 0
        var closed = false
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

    /// Appends `entries` together and in order. Never blocks beyond a short lock.
    func enqueue(_ entries: [Entry]) {
        guard !entries.isEmpty else { return }
        let (waiter, droppedNow, totalDropped) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Int, Int) in
            state.entries.append(contentsOf: entries)
            state.highWater = max(state.highWater, state.entries.count)
            var droppedNow = 0
            while state.entries.count > capacity {
                let oldest = state.entries.removeFirst()
                oldest.completion?(.failure(BackendBufferOverflow(command: oldest.command.name)))
                droppedNow += 1
            }
            state.dropped += droppedNow
            let waiter = state.waiter
            state.waiter = nil
            return (waiter, droppedNow, state.dropped)
        }
        stats.depth.store(depth, ordering: .relaxed)
        if droppedNow > 0 {
            stats.dropped.store(totalDropped, ordering: .relaxed)
            // A log line per power of two keeps an outage from flooding the log.
            if totalDropped & (totalDropped - droppedNow) == 0 || totalDropped == droppedNow {
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

    /// Sends batches until `close()`; failed sends are retried in order with capped backoff.
    func run(on client: some RedisPipelining) async {
        var backoff = Duration.milliseconds(50)
        var down = false
        while let batch = await nextBatch() {
            var pending = batch[...]
            while !pending.isEmpty {
                let results: [Result<RESPValue, RedisError>]
                do {
                    results = try await client.pipeline(pending.map(\.command))
                } catch {
                    if isClosed && Task.isCancelled { return }
                    if !down {
                        logger.error("Redis unreachable, holding \(depth + pending.count) commands for replay: \(error)")
                        down = true
                    }
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(2))
                    continue
                }
                // Everything up to the first command that never reached Redis is done.
                var done = 0
                for (entry, result) in zip(pending, results) {
                    if case .failure(let error) = result, error.isRetryable { break }
                    if case .failure(let error) = result {
                        logger.error("\(entry.command.name) failed (rule at \(entry.origin)): \(error)")
                        stats.errors.add(1, ordering: .relaxed)
                    }
                    entry.completion?(result.mapError { $0 as any Error })
                    done += 1
                }
                pending = pending.dropFirst(done)
                stats.sent.add(done, ordering: .relaxed)
                if pending.isEmpty || done > 0 {
                    if down {
                        logger.notice("Redis reachable again; replaying buffered commands in order")
                        down = false
                    }
                    backoff = .milliseconds(50)
                } else {
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(2))
                }
            }
            batchDone()
        }
    }

    /// Publishes the depth, and once an outage's backlog has drained gives its memory back: a deque keeps its
    /// largest capacity, and the allocator its freed pages, so the process would stay at its outage size.
    private func batchDone() {
        let (depth, released) = state.withLock { state -> (Int, Int?) in
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
                if state.entries.isEmpty { return state.closed ? nil : [] }
                let count = min(batchSize, state.entries.count)
                let batch = Array(state.entries.prefix(count))
                state.entries.removeFirst(count)
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
}

/// Whatever sends a batch of commands in one write: the pool's `RedisClient`.
protocol RedisPipelining: Sendable {
    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>]
}

extension RedisClient: RedisPipelining {}

extension RedisError {
    /// The command never reached Redis, or its fate is unknown: send it again.
    var isRetryable: Bool {
        kind == .notConnected || kind == .connectionClosed || kind == .connectionFailed || kind == .timeout
    }
}

/// A command dropped because the buffer overflowed while Redis was unreachable.
struct BackendBufferOverflow: Error, CustomStringConvertible {
    let command: String
    var description: String { "\(command) dropped: backend buffer full while Redis was unreachable" }
}
