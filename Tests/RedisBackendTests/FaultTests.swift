import MQTTBroker
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// Redis killed while QoS 1 messages flow: every accepted message is in Redis afterwards, in order, once.
@Suite struct FaultTests {
    @Test func redisKilledAndRestartedLosesNoAcceptedMessage() async throws {
        let durable = ["--appendonly", "yes", "--appendfsync", "always"]
        let redis = try await RedisServer.start(extraArguments: durable)
        let fixture = try await BackendFixture.start(redis: redis)
        let publisher = try await fixture.client("steady")
        var restarted: RedisServer?
        for n in 1...200 {
            try await publisher.publish("queue/fault", "msg \(n)", qos: .atLeastOnce)
            if n == 60 { await redis.kill() }
            if n == 140 {
                restarted = try await RedisServer.start(extraArguments: durable, directory: redis.directory, port: redis.port)
            }
        }
        let server = try #require(restarted)
        try await waitUntil("all 200 stored", timeout: .seconds(20)) {
            (try? await server.cli("ZCARD", "mqtt:msg:queue/fault")) == "200"
        }
        let ids = try await server.cli("ZRANGE", "mqtt:msg:queue/fault", "0", "-1").split(separator: "\n")
        var payloads: [String] = []
        for id in ids {
            payloads.append(try await server.cli("HGET", "mqtt:msg:\(id)", "payload"))
        }
        #expect(payloads == (1...200).map { "msg \($0)" })
        await fixture.stopMQTT()
        await server.stopAndRemove()
    }

    /// Redis gone for good at shutdown: the backend gives up at its deadline instead of waiting forever.
    @Test func shutdownEndsAtItsDeadlineWithRedisGone() async throws {
        let fixture = try await BackendFixture.start()
        let publisher = try await fixture.client("late")
        await fixture.redis.kill()
        for n in 1...20 { try await publisher.publish("queue/never", "msg \(n)", qos: .atLeastOnce) }
        await fixture.broker.shutdown()
        try await withTimeout("backend shutdown with a 1 s deadline", .seconds(20)) {
            await fixture.backend.shutdown(deadline: .seconds(1))
        }
        fixture.redis.directory.remove()
    }
}
