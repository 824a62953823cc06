import Foundation
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
        lane.append([Self.entry("HSET", "a")], to: first)
        lane.append([Self.entry("SET", "x")], to: second)
        lane.append([Self.entry("ZADD", "b")], to: first)
        lane.append([Self.entry("EXPIRE", "c")], to: first)
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
    /// The lane is claimed on a thread of its own (as a loop's), and asked from this one.
    @Test func anotherThreadBypassesTheLane() {
        let lane = CommandLane()
        let claimed = DispatchSemaphore(value: 0)
        let ownerSaw = LockedBox(false)
        let owner = Thread {
            lane.claim()
            ownerSaw.withLock { $0 = lane.isOwnersThread }
            claimed.signal()
        }
        owner.start()
        #expect(claimed.wait(timeout: .now() + 10) == .success)
        #expect(ownerSaw.value, "the loop that claimed it uses it")
        #expect(!lane.isOwnersThread, "any other thread does not")
    }
}
