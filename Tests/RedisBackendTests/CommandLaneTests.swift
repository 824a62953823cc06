import Foundation
import Logging
import NIOCore
import RESP
import Synchronization
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

    /// Records each command as the words Redis reads.
    final class RecordingRedis: RedisPipelining {
        private let state = Mutex<[[String]]>([])
        var sent: [[String]] { state.withLock { $0 } }

        func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
            state.withLock { sent in
                for command in commands {
                    var bytes = ByteBuffer()
                    bytes.writeRESP(command)
                    // `*3\r\n$4\r\nZADD\r\n…`: every other line after the count is a word.
                    let lines = String(buffer: bytes).split(separator: "\r\n", omittingEmptySubsequences: false)
                    sent.append(stride(from: 2, to: lines.count, by: 2).map { String(lines[$0]) })
                }
            }
            return commands.map { _ in .success(.simpleString("OK")) }
        }
    }

    /// A tick's stored messages of one topic add their ids in one ZADD, each after its own hash; any other
    /// command, and the tick's end, lets the ids waiting so far go first.
    @Test func storedMessagesOfATopicShareOneZADDAndNothingPassesIt() async throws {
        let queue = CommandQueue(pool: "pool1", capacity: 100, logger: CapturedLog().logger())
        let lane = CommandLane()
        lane.claim()
        func store(_ id: String, _ topic: String) {
            lane.appendStoredMessage([Self.entry("HMSET", "mqtt:msg:\(id)")], id: id, topic: topic, to: queue, origin: "t:1")
        }
        store("a1", "a")
        store("b1", "b")
        store("a2", "a")
        lane.append([Self.entry("HSET", "mqtt:client:c")], to: queue)
        store("a3", "a")
        lane.flush()
        let redis = RecordingRedis()
        let writer = Task { await queue.run(on: redis) }
        try await waitUntil("the batch sent") { queue.stats.sent.load(ordering: .relaxed) == 8 }
        queue.close()
        await writer.value
        #expect(redis.sent == [["HMSET", "mqtt:msg:a1"], ["HMSET", "mqtt:msg:b1"], ["HMSET", "mqtt:msg:a2"],
                               ["ZADD", "mqtt:msg:a", "1", "a1", "1", "a2"], ["ZADD", "mqtt:msg:b", "1", "b1"],
                               ["HSET", "mqtt:client:c"], ["HMSET", "mqtt:msg:a3"], ["ZADD", "mqtt:msg:a", "1", "a3"]])
    }

    /// A ZADD holds at most `SortedSetMembers.limit` ids; the next begins a new one.
    @Test func aBusyTopicsIdsGoOutInBoundedZADDs() {
        let queue = CommandQueue(pool: "pool1", capacity: 10_000, logger: CapturedLog().logger())
        let lane = CommandLane()
        lane.claim()
        let count = SortedSetMembers.limit + 3
        for index in 0..<count {
            lane.appendStoredMessage([Self.entry("HMSET", "m\(index)")], id: "m\(index)", topic: "busy", to: queue, origin: "t:1")
        }
        lane.flush()
        #expect(queue.depth == count + 2, "one HMSET each, and two ZADDs")
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
