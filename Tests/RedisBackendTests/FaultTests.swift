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
}
