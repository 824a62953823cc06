import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import RedisBackend
import Testing
import TestSupport

/// Retained messages as Redis holds them: the rule's expired_time ends them in the broker too, and a key
/// deleted in Redis by someone else is not served from memory.
@Suite struct RetainedLookupTests {
    static let shortLived = """
        backend.redis.pool1.server = 127.0.0.1:6379
        backend.redis.hook.session.subscribed.1 = {"topic": "#", "action": {"function": "on_retain_lookup"}, "pool": "pool1"}
        backend.redis.hook.message.publish.1    = {"topic": "#", "action": {"function": "on_message_retain"}, "pool": "pool1", "expired_time": 3}
        backend.redis.hook.message.publish.2    = {"topic": "#", "action": {"function": "on_retain_delete"}, "pool": "pool1"}
        """

    /// Subscribes `client` to `filter`, lets the backend's lookup finish, then sends a live marker through the
    /// same session: the first message it gets is the marker exactly when no retained message was owed.
    static func firstMessage(after filter: String, _ client: MQTTClient, _ fixture: BackendFixture) async throws -> ReceivedMessage {
        _ = try await client.subscribe([SubscriptionRequest(filter: filter, qos: .atLeastOnce),
                                        SubscriptionRequest(filter: "marker", qos: .atLeastOnce, noLocal: true)])
        try await waitUntil("the retained lookup done") { fixture.backend.isIdle }
        // Sent by the fixture's own client: delivered through the session after anything the lookup owed.
        let sender = try await fixture.client("marker-sender")
        try await sender.publish("marker", "marker", qos: .atLeastOnce)
        await sender.disconnect()
        return try #require(try await client.messages.next(1).first)
    }

    @Test func aRetainedMessageEndsWithItsRulesExpiredTime() async throws {
        let fixture = try await BackendFixture.start(config: Self.shortLived)
        let publisher = try await fixture.client("p")
        try await publisher.publish("rt/short", "soon gone", qos: .atLeastOnce, retain: true)
        // Held while it lives, in memory and in Redis with the rule's TTL (3 s: the steps here take
        // milliseconds; a subscriber's connect and lookup could take longer than a shorter TTL under load).
        #expect(fixture.broker.retainedMessage(topic: "rt/short").map { String(buffer: $0.payload) } == "soon gone")
        try await fixture.waitForRedis(["HGET", "mqtt:retain:rt/short", "payload"], toBe: "soon gone")
        let ttl = Int(try await fixture.redis.cli("PTTL", "mqtt:retain:rt/short")) ?? -2
        #expect((1...3000).contains(ttl), "PTTL \(ttl)")
        try await waitUntil("the key's TTL ran out", timeout: .seconds(10)) {
            try await fixture.redis.cli("EXISTS", "mqtt:retain:rt/short") == "0"
        }
        for (id, filter) in [("literal", "rt/short"), ("wildcard", "rt/#")] {
            let late = try await fixture.client(id)
            #expect(try await Self.firstMessage(after: filter, late, fixture).payloadString == "marker", "\(filter)")
        }
        #expect(fixture.broker.retainedMessage(topic: "rt/short") == nil)
        await fixture.stop()
    }

    @Test func aKeyDeletedInRedisIsNotServedFromMemory() async throws {
        let fixture = try await BackendFixture.start()
        let publisher = try await fixture.client("p")
        try await publisher.publish("rt/door", "open", qos: .atLeastOnce, retain: true)
        try await fixture.waitForRedis(["HGET", "mqtt:retain:rt/door", "payload"], toBe: "open")
        try await fixture.redis.cli("DEL", "mqtt:retain:rt/door")
        for (id, filter) in [("literal", "rt/door"), ("wildcard", "rt/+")] {
            let reader = try await fixture.client(id)
            #expect(try await Self.firstMessage(after: filter, reader, fixture).payloadString == "marker", "\(filter)")
        }
        #expect(fixture.broker.retainedMessage(topic: "rt/door") == nil)
        // Another broker's retained message, written after start, reaches a literal subscription.
        try await fixture.redis.cli("HSET", "mqtt:retain:rt/window", "id", "X1", "from", "other", "qos", "1",
                                    "topic", "rt/window", "retain", "true", "payload", "shut", "ts", "1700000000")
        let reader = try await fixture.client("window")
        let first = try await Self.firstMessage(after: "rt/window", reader, fixture)
        #expect(first.payloadString == "shut" && first.retain)
        await fixture.stop()
    }

    /// More retained messages than one read-back chunk: each chunk is checked against Redis and delivered in
    /// the index's order, a key deleted there is left out (and forgotten), another broker's newer message is
    /// sent instead of the index's.
    @Test func manyRetainedComeInOrderAsRedisHoldsThem() async throws {
        let fixture = try await BackendFixture.start()
        let publisher = try await fixture.client("p")
        let count = 1_200
        for index in 0..<count {
            try await publisher.publish("many/\(index)", "v\(index)", qos: .atLeastOnce, retain: true)
        }
        try await fixture.waitForRedis(["HGET", "mqtt:retain:many/\(count - 1)", "payload"], toBe: "v\(count - 1)")
        // One in the first chunk, one in the second, and the third's rewritten by someone else.
        try await fixture.redis.cli("DEL", "mqtt:retain:many/5", "mqtt:retain:many/700")
        try await fixture.redis.cli("HSET", "mqtt:retain:many/1100", "id", "X1", "from", "other", "qos", "1",
                                    "topic", "many/1100", "retain", "true", "payload", "other", "ts", "1700000000")
        let reader = try await fixture.client("reader")
        _ = try await reader.subscribe([SubscriptionRequest(filter: "many/#", qos: .atLeastOnce)])
        let received = try await reader.messages.next(count - 2)
        let expected = (0..<count).filter { $0 != 5 && $0 != 700 }.map { "many/\($0)" }
        #expect(received.map(\.topic) == expected)
        #expect(received.first { $0.topic == "many/1100" }?.payloadString == "other")
        #expect(received.allSatisfy { $0.retain })
        #expect(fixture.broker.retainedMessage(topic: "many/5") == nil)
        await fixture.stop()
    }

    /// Without a backend, the store alone: a deadline set by storage ends a message.
    @Test func theStoreDropsAMessagePastItsDeadline() throws {
        let store = RetainedStore()
        let broker = Broker(configuration: BrokerConfiguration())
        let message = broker.makeMessage(topic: "a/b", payload: .init(string: "x"), retain: true)
        store.set(message)
        let filter = try #require(TopicFilter("a/#"))
        #expect(store.matching(filter).count == 1)
        store.expire(topic: "a/b", id: message.id, at: NIODeadline.now() - TimeAmount.seconds(1))
        #expect(store.matching(filter).isEmpty)
        #expect(store.count == 0)
    }
}
