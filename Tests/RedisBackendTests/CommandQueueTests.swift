import Logging
@testable import RedisBackend
@testable import RedisClient
import Synchronization
import Testing
import TestSupport

/// The backend's buffer, against a scripted Redis: what is sent again after a timeout, and completions that
/// may call back into the queue.
@Suite struct CommandQueueTests {
    /// Answers each batch with the next scripted reply kind, recording what was sent.
    final class ScriptedRedis: RedisPipelining {
        enum Answer: Sendable { case timeout, closed, ok, down }
        private let state: Mutex<(answers: [Answer], sent: [[String]])>

        init(_ answers: [Answer]) { state = Mutex((answers, [])) }

        var sent: [[String]] { state.withLock { $0.sent } }

        func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
            let answer = state.withLock { state -> Answer in
                state.sent.append(commands.map(\.name))
                return state.answers.isEmpty ? .ok : state.answers.removeFirst()
            }
            if answer == .down { throw RedisError(.notConnected, "no connection is up") }
            return commands.map { command in
                switch answer {
                case .timeout: .failure(RedisError(.timeout, "no reply within 10 s", command: command.name))
                case .closed: .failure(RedisError(.connectionClosed, "the connection was lost", command: command.name))
                case .ok, .down: .success(.simpleString("OK"))
                }
            }
        }
    }

    /// A dropped connection fails the whole rest of a batch: each command is judged, not only the first.
    @Test func everyCommandOfALostBatchIsJudgedOnItsOwn() async throws {
        let queue = CommandQueue(pool: "pool1", capacity: 100, logger: CapturedLog().logger())
        let redis = ScriptedRedis([.closed])
        queue.enqueue([CommandQueue.Entry(command: RedisCommand("HSET", ["h", "f", "1"]), origin: "t:1"),
                       CommandQueue.Entry(command: RedisCommand("RPUSH", ["l", "x"]), origin: "t:2"),
                       CommandQueue.Entry(command: RedisCommand("ZADD", ["z", "1", "m"]), origin: "t:3")])
        let writer = Task { await queue.run(on: redis) }
        try await waitUntil("all answered") { queue.stats.sent.load(ordering: .relaxed) == 3 }
        queue.close()
        await writer.value
        #expect(redis.sent == [["HSET", "RPUSH", "ZADD"], ["HSET", "ZADD"]])
        #expect(queue.stats.unsure.load(ordering: .relaxed) == 1)
    }

    /// A writer stopped while Redis is down fails what it holds: nobody waits for a reply forever.
    @Test func aStoppedWriterFailsWhatItHolds() async throws {
        let queue = CommandQueue(pool: "pool1", capacity: 100, logger: CapturedLog().logger())
        let redis = ScriptedRedis(Array(repeating: .down, count: 10_000))
        let failed = LockedBox(0)
        for key in ["a", "b"] {
            queue.enqueue(RedisCommand("GET", [RESPArgument(key)]), origin: "t") { result in
                if case .failure(let error) = result, error is RedisQueueStopped { failed.withLock { $0 += 1 } }
            }
        }
        let writer = Task { await queue.run(on: redis) }
        try await waitUntil("a send tried") { !redis.sent.isEmpty }
        queue.close()
        writer.cancel()
        await writer.value
        #expect(failed.value == 2)
        #expect(queue.isIdle)
    }

    @Test func aTimedOutCommandIsSentAgainOnlyIfIdempotent() async throws {
        let captured = CapturedLog()
        let queue = CommandQueue(pool: "pool1", capacity: 100, logger: captured.logger())
        let redis = ScriptedRedis([.timeout])
        queue.enqueue([CommandQueue.Entry(command: RedisCommand("RPUSH", ["jobs", "a"]), origin: "test.conf:3"),
                       CommandQueue.Entry(command: RedisCommand("HSET", ["h", "f", "v"]), origin: "test.conf:4")])
        let writer = Task { await queue.run(on: redis) }
        try await waitUntil("both answered") { queue.stats.sent.load(ordering: .relaxed) == 2 }
        queue.close()
        await writer.value
        #expect(redis.sent == [["RPUSH", "HSET"], ["HSET"]])
        #expect(queue.stats.unsure.load(ordering: .relaxed) == 1)
        #expect(captured.all.contains { $0.contains("RPUSH (rule at test.conf:3) may not have been written") })
    }

    /// A completion of a command dropped on overflow may read the queue: it runs after the lock is let go.
    @Test func completionsRunOutsideTheLock() async throws {
        let queue = CommandQueue(pool: "pool1", capacity: 1, logger: CapturedLog().logger())
        let depthSeen = LockedBox<Int?>(nil)
        queue.enqueue(RedisCommand("SET", ["a", "1"]), origin: "test") { _ in depthSeen.withLock { $0 = queue.depth } }
        queue.enqueue(RedisCommand("SET", ["b", "2"]), origin: "test")
        #expect(depthSeen.value == 1)
        #expect(queue.stats.dropped.load(ordering: .relaxed) == 1)
    }

    @Test func commandsAfterTheWriterStoppedFailAtOnce() async throws {
        let queue = CommandQueue(pool: "pool1", capacity: 10, logger: CapturedLog().logger())
        queue.close()
        await queue.run(on: ScriptedRedis([]))
        let failed = LockedBox(false)
        queue.enqueue(RedisCommand("GET", ["a"]), origin: "test") { result in
            if case .failure = result { failed.withLock { $0 = true } }
        }
        #expect(failed.value)
    }

    @Test func shutdownWaitsForRunningReplyHandlers() async throws {
        let handlers = ReplyHandlers()
        let release = AsyncStream<Void>.makeStream()
        let finished = LockedBox(false)
        handlers.spawn {
            for await _ in release.stream { break }
            finished.withLock { $0 = true }
        }
        #expect(handlers.running == 1)
        let waiter = Task { await handlers.waitUntilIdle(); return finished.value }
        release.continuation.yield()
        #expect(await waiter.value)
        #expect(handlers.running == 0)
    }
}
