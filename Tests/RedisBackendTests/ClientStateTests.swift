import MQTTBroker
import MQTTClient
import RedisBackend
import MQTTCore
import Testing
import TestSupport

/// `mqtt:client:<cid>` and `mqtt:node:<node>` exactly as the seed shows them.
@Suite struct ClientStateTests {
    @Test func onlineThenOfflineAsTheSeedShows() async throws {
        let fixture = try await BackendFixture.start()
        let before = Int(MessageIDGenerator.wallClockMicros() / 1_000_000)
        let subscriber = try await MosquittoSubscriber.start(port: fixture.port, ["-i", "test", "-t", "x"])
        try await fixture.waitForRedis(["HGET", "mqtt:client:test", "state"], toBe: "1")
        let online = try await fixture.redis.cli("HGETALL", "mqtt:client:test").split(separator: "\n").map(String.init)
        #expect(online.count == 6)
        #expect(online[0] == "state" && online[1] == "1")
        #expect(online[2] == "online_at")
        let onlineAt = try #require(Int(online[3]))
        #expect(onlineAt >= before && onlineAt < before + 60, "seconds, as the seed shows")
        #expect(online[4] == "offline_at" && online[5] == "undefined")
        #expect(try await fixture.redis.cli("HGET", "mqtt:node:\(BackendFixture.node)", "test") == online[3])

        await subscriber.stop()
        try await fixture.waitForRedis(["HGET", "mqtt:client:test", "state"], toBe: "0")
        let offline = try await fixture.redis.cli("HGETALL", "mqtt:client:test").split(separator: "\n").map(String.init)
        #expect(offline.count == 6)
        #expect(offline[0] == "state" && offline[2] == "online_at" && offline[3] == online[3] && offline[4] == "offline_at")
        #expect((Int(offline[5]) ?? 0) >= onlineAt)
        #expect(try await fixture.redis.cli("HEXISTS", "mqtt:node:\(BackendFixture.node)", "test") == "0")
        await fixture.stop()
    }

    @Test func millisecondsWithTimeUnitMs() async throws {
        let fixture = try await BackendFixture.start(config: DefaultBackendConfig.text + "\nbackend.redis.time_unit = ms\n")
        let client = try await fixture.client("ms")
        try await fixture.waitForRedis(["HGET", "mqtt:client:ms", "state"], toBe: "1")
        let onlineAt = try #require(Int(try await fixture.redis.cli("HGET", "mqtt:client:ms", "online_at")))
        #expect(onlineAt > 100_000_000_000)
        await client.disconnect()
        await fixture.stop()
    }

    @Test func takeoverLeavesTheClientOnline() async throws {
        let fixture = try await BackendFixture.start()
        for _ in 0..<5 {
            _ = try await fixture.client("twin")
        }
        let last = try await fixture.client("twin")
        try await fixture.waitForRedis(["HGET", "mqtt:client:twin", "state"], toBe: "1")
        // Flush the queue with a marker write, then check that no late disconnect wrote state 0.
        let marker = try await fixture.client("marker")
        try await fixture.waitForRedis(["HGET", "mqtt:client:marker", "state"], toBe: "1")
        #expect(try await fixture.redis.cli("HGET", "mqtt:client:twin", "state") == "1")
        await marker.disconnect()
        await last.disconnect()
        try await fixture.waitForRedis(["HGET", "mqtt:client:twin", "state"], toBe: "0")
        await fixture.stop()
    }
}
