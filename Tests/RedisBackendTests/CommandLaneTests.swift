import Logging
@testable import RedisBackend
@testable import RedisClient
import Testing
import TestSupport

/// A broker loop's lane: the rules' commands wait there until the loop's tick ends, then reach each pool's
/// queue together and in the order they were produced.
@Suite struct CommandLaneTests {
    static func entry(_ name: String, _ key: String) -> CommandQueue.Entry {
        CommandQueue.Entry(command: RedisCommand(name, [RESPArgument(key)]), origin: "test:1")
    }

    @Test func commandsWaitForTheTickAndKeepTheirOrderPerPool() async throws {
        let first = CommandQueue(pool: "pool1", capacity: 100, logger: CapturedLog().logger())
        let second = CommandQueue(pool: "pool2", capacity: 100, logger: CapturedLog().logger())
        let lane = CommandLane()
        lane.claim()
        lane.append(Self.entry("HSET", "a"), to: first)
        lane.append(Self.entry("SET", "x"), to: second)
        lane.append(Self.entry("ZADD", "b"), to: first)
        lane.append(Self.entry("EXPIRE", "c"), to: first)
        #expect(first.depth == 0 && second.depth == 0, "nothing is handed on before the tick ends")
        lane.flush()
        #expect(first.depth == 3)
        #expect(second.depth == 1)
        let redis = CommandQueueTests.ScriptedRedis([])
        let writer = Task { await first.run(on: redis) }
        try await waitUntil("the batch sent") { first.stats.sent.load(ordering: .relaxed) == 3 }
        first.close()
        await writer.value
        #expect(redis.sent.flatMap { $0 } == ["HSET", "ZADD", "EXPIRE"])
        lane.flush()
        #expect(first.depth == 0, "a flushed lane is empty")
    }

    /// A rule's reply handler runs off the loop with the same context: its commands go to the queue at once.
    @Test func anotherThreadBypassesTheLane() async throws {
        let lane = CommandLane()
        lane.claim()
        #expect(lane.isOwnersThread)
        let elsewhere = await Task.detached { lane.isOwnersThread }.value
        #expect(!elsewhere)
    }
}
