import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import RedisBackend
import Testing
import TestSupport

/// Stored messages, retained messages and templates, as the seed's keys show them.
@Suite struct MessageStoreTests {
    @Test func qos1MessageIsStoredWithItsFieldsAndTTL() async throws {
        let fixture = try await BackendFixture.start()
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-t", "queue/jobs", "-m", "Hello world!", "-i", "test"])
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/jobs"], toBe: "1")
        let id = try await fixture.redis.cli("ZRANGE", "mqtt:msg:queue/jobs", "0", "-1")
        #expect(id.utf8.count == 22)
        let fields = try await fixture.redis.cli("HGETALL", "mqtt:msg:\(id)").split(separator: "\n").map(String.init)
        #expect(stride(from: 0, to: fields.count, by: 2).map { fields[$0] }
                == ["id", "from", "qos", "topic", "payload", "ts", "retain"])
        #expect(fields[1] == id && fields[3] == "test" && fields[5] == "1" && fields[7] == "queue/jobs")
        #expect(fields[9] == "Hello world!" && fields[13] == "false")
        let ttl = try #require(Int(try await fixture.redis.cli("TTL", "mqtt:msg:\(id)")))
        #expect(ttl > 3500 && ttl <= 3600)
        // QoS 0 is not stored.
        try await mosquittoPub(port: fixture.port, ["-q", "0", "-t", "queue/jobs", "-m", "volatile"])
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-t", "queue/marker", "-m", "m"])
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/marker"], toBe: "1")
        #expect(try await fixture.redis.cli("ZCARD", "mqtt:msg:queue/jobs") == "1")
        await fixture.stop()
    }

    @Test func retainedMessageHashAndDelete() async throws {
        let fixture = try await BackendFixture.start()
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-r", "-t", "topic", "-m", "Hello world!", "-i", "test"])
        try await fixture.waitForRedis(["HGET", "mqtt:retain:topic", "payload"], toBe: "Hello world!")
        let fields = try await fixture.redis.cli("HGETALL", "mqtt:retain:topic").split(separator: "\n").map(String.init)
        #expect(stride(from: 0, to: fields.count, by: 2).map { fields[$0] }
                == ["id", "from", "qos", "topic", "retain", "payload", "ts"])
        #expect(fields[3] == "test" && fields[5] == "1" && fields[7] == "topic" && fields[9] == "true")
        let ttl = try #require(Int(try await fixture.redis.cli("TTL", "mqtt:retain:topic")))
        #expect(ttl > 3500)
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-r", "-t", "topic", "-n"])
        try await fixture.waitForRedis(["EXISTS", "mqtt:retain:topic"], toBe: "0")
        await fixture.stop()
    }

    @Test func retainedMessagesSurviveABrokerRestartOnceEach() async throws {
        let first = try await BackendFixture.start()
        try await mosquittoPub(port: first.port, ["-q", "1", "-r", "-t", "rt/kitchen", "-m", "21.5C"])
        try await mosquittoPub(port: first.port, ["-q", "1", "-r", "-t", "rt/garage", "-m", "open"])
        try await first.waitForRedis(["EXISTS", "mqtt:retain:rt/kitchen", "mqtt:retain:rt/garage"], toBe: "2")
        await first.stopMQTT()
        let second = try await BackendFixture.start(config: DefaultBackendConfig.text, on: first.redis)
        let client = try await second.client("late")
        _ = try await client.subscribe("rt/#", qos: .atLeastOnce)
        _ = try await client.subscribe("rt/kitchen", qos: .atLeastOnce)
        try await client.publish("rt/end", "end", qos: .atLeastOnce)
        var received: [String] = []
        for message in try await client.messages.next(4) { received.append("\(message.topic) \(message.payloadString)") }
        // rt/# brings both, rt/kitchen brings kitchen again (a second subscription), each exactly once.
        #expect(received.sorted() == ["rt/end end", "rt/garage open", "rt/kitchen 21.5C", "rt/kitchen 21.5C"])
        // What the backend loaded counts in `$SYS/broker/retained messages/count` too.
        #expect(second.broker.stats.retained == 2)
        await second.stop()
    }

    @Test func templatePayloadWithSpacesQuotesAndCRLFIsOneValue() async throws {
        let config = DefaultBackendConfig.text + """

            backend.redis.hook.message.publish.9 = {"topic": "tpl/#", "action": {"commands": ["SET last:${topic} ${payload}", "HSET who:${clientid} ${topic} ${qos}"]}, "pool": "pool1"}
            """
        let fixture = try await BackendFixture.start(config: config)
        let client = try await fixture.client("writer")
        let payload = "a b \"quoted\" 'single'\r\nDEL *\r\n"
        try await client.publish("tpl/x", payload, qos: .atLeastOnce)
        try await fixture.waitForRedis(["HGET", "who:writer", "tpl/x"], toBe: "1")
        let stored = try await fixture.redis.cli(["--no-raw", "GET", "last:tpl/x"])
        #expect(stored == "\"a b \\\"quoted\\\" 'single'\\r\\nDEL *\\r\\n\"")
        await fixture.stop()
    }
}
