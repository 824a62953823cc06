import MQTTBroker
import MQTTClient
import MQTTCore
import RedisBackend
import Testing
import TestSupport

/// `queue/#` one-to-one and `pubsub/#` one-to-many offline delivery, and stored subscriptions.
@Suite struct OfflineDeliveryTests {
    @Test func queueMessagesAreFetchedInOrderAndConsumedByTheAck() async throws {
        let fixture = try await BackendFixture.start()
        for n in 1...3 {
            try await mosquittoPub(port: fixture.port, ["-q", "1", "-t", "queue/jobs", "-m", "job \(n)"])
        }
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/jobs"], toBe: "3")
        let worker = try await MosquittoSubscriber.start(port: fixture.port, ["-q", "1", "-t", "queue/jobs", "-i", "worker"])
        #expect(try await worker.waitForMessages(3) == ["queue/jobs job 1", "queue/jobs job 2", "queue/jobs job 3"])
        // The first acknowledgement consumes each message.
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/jobs"], toBe: "0")
        #expect(try await fixture.redis.cli("KEYS", "mqtt:msg:*") == "")
        await worker.stop()
        // A second worker finds nothing: once the backend has settled (its fetch answered and handled), the
        // first message it gets is a marker sent after, through the same session.
        let other = try await fixture.client("other")
        _ = try await other.subscribe("queue/jobs", qos: .atLeastOnce)
        try await waitUntil("the backend's fetch for the second worker done") { fixture.backend.isIdle }
        _ = try await other.subscribe("marker", qos: .atLeastOnce)
        try await other.publish("marker", "m", qos: .atLeastOnce)
        #expect(try await other.messages.next(1).map(\.payloadString) == ["m"])
        await fixture.stop()
    }

    /// Live `queue/` traffic between clients on different event loops: every message is stored when published
    /// and consumed by its PUBACK, so nothing is left once the backend settles. A PUBACK's removal that
    /// overtook the store of its message (they are written from different loops) would leave members behind.
    @Test func liveQueueTrafficAcrossLoopsLeavesNothingStored() async throws {
        let fixture = try await BackendFixture.start()
        let worker = try await fixture.client("live-worker")
        _ = try await worker.subscribe("queue/live", qos: .atLeastOnce)
        // Connections go to the loops in turn: of four publishers, some share the worker's loop, some not.
        var publishers: [MQTTClient] = []
        for n in 1...4 { publishers.append(try await fixture.client("live-pub-\(n)")) }
        let count = 400
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, publisher) in publishers.enumerated() {
                group.addTask {
                    for n in 0..<(count / 4) { try await publisher.publish("queue/live", "\(index)-\(n)", qos: .atLeastOnce) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await worker.messages.next(count).count == count)
        try await waitUntil("the backend settled") { fixture.backend.isIdle }
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/live"], toBe: "0")
        #expect(try await fixture.redis.cli("KEYS", "mqtt:msg:*") == "")
        await fixture.stop()
    }

    /// A 5.0 subscriber that refuses a `queue/` message (PUBREC 0x80) has not acknowledged it: it stays for
    /// the next worker.
    @Test func aRefusedPubrecDoesNotConsumeAQueueMessage() async throws {
        let fixture = try await BackendFixture.start()
        let publisher = try await fixture.client("p")
        try await publisher.publish("queue/refused", "job", qos: .exactlyOnce)
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/refused"], toBe: "1")
        let refuser = try await fixture.client("refuser") { $0.autoAcknowledge = false }
        _ = try await refuser.subscribe("queue/refused", qos: .exactlyOnce)
        let offered = try await refuser.messages.next(1)
        let id = try #require(offered.first?.packetID)
        try await refuser.send(.publishAck(PublishAckPacket(.pubrec, packetID: id, reason: .unspecifiedError)))
        await refuser.disconnect()
        // The refusal was read before the DISCONNECT, so a wrong ack would already be queued before this fetch.
        let worker = try await fixture.client("worker")
        _ = try await worker.subscribe("queue/refused", qos: .exactlyOnce)
        #expect(try await worker.messages.next(1).map(\.payloadString) == ["job"])
        await fixture.stop()
    }

    @Test func queueFetchDeliversAtTheLowerQoSAndSkipsExpiredIds() async throws {
        let fixture = try await BackendFixture.start()
        let publisher = try await fixture.client("p")
        try await publisher.publish("queue/q", "kept", qos: .exactlyOnce)
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/q"], toBe: "1")
        try await fixture.redis.cli("ZADD", "mqtt:msg:queue/q", "1", "00000000000000000000ZZ")
        let consumer = try await fixture.client("c")
        _ = try await consumer.subscribe("queue/q", qos: .atLeastOnce)
        let received = try await consumer.messages.next(1)
        #expect(received.map(\.payloadString) == ["kept"])
        #expect(received[0].qos == .atLeastOnce)
        try await fixture.waitForRedis(["ZCARD", "mqtt:msg:queue/q"], toBe: "0")
        await fixture.stop()
    }

    @Test func pubsubCursorStartsNowThenDeliversWhatWasMissed() async throws {
        let fixture = try await BackendFixture.start()
        let publisher = try await fixture.client("p")
        try await publisher.publish("pubsub/news", "before", qos: .atLeastOnce)
        // First subscription: no cursor yet, start at now.
        let reader = try await fixture.client("reader")
        _ = try await reader.subscribe("pubsub/news", qos: .atLeastOnce)
        let newest = try await fixture.redis.cli("ZRANGE", "mqtt:msg:pubsub/news", "-1", "-1")
        try await fixture.waitForRedis(["GET", "mqtt:acked:reader:pubsub/news"], toBe: newest)
        try await publisher.publish("pubsub/news", "live", qos: .atLeastOnce)
        #expect(try await reader.messages.next(1).map(\.payloadString) == ["live"])
        await reader.disconnect()
        try await publisher.publish("pubsub/news", "missed 1", qos: .atLeastOnce)
        try await publisher.publish("pubsub/news", "missed 2", qos: .atLeastOnce)
        // Every subscriber sees pubsub messages: a second reader is untouched by the first one's acks.
        let back = try await fixture.client("reader")
        _ = try await back.subscribe("pubsub/news", qos: .atLeastOnce)
        #expect(try await back.messages.next(2).map(\.payloadString) == ["missed 1", "missed 2"])
        let last = try await fixture.redis.cli("ZRANGE", "mqtt:msg:pubsub/news", "-1", "-1")
        try await fixture.waitForRedis(["GET", "mqtt:acked:reader:pubsub/news"], toBe: last)
        #expect(try await fixture.redis.cli("ZCARD", "mqtt:msg:pubsub/news") == "4")
        await fixture.stop()
    }

    @Test func unsubscribeDeletesTheCursor() async throws {
        let fixture = try await BackendFixture.start()
        let reader = try await fixture.client("r")
        _ = try await reader.subscribe("pubsub/a", qos: .atLeastOnce)
        try await fixture.waitForRedis(["GET", "mqtt:acked:r:pubsub/a"], toBe: "0")
        _ = try await reader.unsubscribe(["pubsub/a"])
        try await fixture.waitForRedis(["EXISTS", "mqtt:acked:r:pubsub/a"], toBe: "0")
        await fixture.stop()
    }

    @Test func storedSubscriptionsAreMadeOnConnect() async throws {
        let fixture = try await BackendFixture.start()
        try await fixture.redis.cli("HSET", "mqtt:sub:test", "topic1", "1")
        try await fixture.redis.cli("HSET", "mqtt:sub:test", "topic2", "2")
        let client = try await fixture.client("test", version: .v3_1_1)
        try await waitUntil("stored subscriptions made") { fixture.broker.stats.subscriptions == 2 }
        let publisher = try await fixture.client("p")
        try await publisher.publish("topic2", "via stored subscription", qos: .exactlyOnce)
        let received = try await client.messages.next(1)
        #expect(received.map(\.payloadString) == ["via stored subscription"])
        #expect(received[0].qos == .exactlyOnce)
        await fixture.stop()
    }
}

/// The keep-latest variant of the seed's file: one hash per topic, fetched on subscribe, consumed by the ack.
@Suite struct KeepLatestTests {
    static let config = """
        backend.redis.pool1.server = 127.0.0.1:6379
        backend.redis.hook.session.subscribed.1  = {"topic": "#", "action": {"function": "on_message_fetch_for_keep_latest"}, "pool": "pool1"}
        backend.redis.hook.message.publish.1     = {"topic": "#", "action": {"function": "on_message_store_keep_latest"}, "expired_time" : 3600, "pool": "pool1"}
        backend.redis.hook.message.acked.1       = {"topic": "#", "action": {"function": "on_message_acked_for_keep_latest"}, "pool": "pool1"}
        """

    @Test func latestMessagePerTopicIsFetchedThenConsumed() async throws {
        let fixture = try await BackendFixture.start(config: Self.config)
        let publisher = try await fixture.client("p")
        try await publisher.publish("status/door", "open", qos: .atMostOnce)
        try await publisher.publish("status/door", "closed", qos: .atLeastOnce)
        try await fixture.waitForRedis(["HGET", "mqtt:latest_msg:status/door", "payload"], toBe: "closed")
        let ttl = try #require(Int(try await fixture.redis.cli("TTL", "mqtt:latest_msg:status/door")))
        #expect(ttl > 3500)
        let reader = try await fixture.client("reader")
        _ = try await reader.subscribe("status/door", qos: .atLeastOnce)
        #expect(try await reader.messages.next(1).map(\.payloadString) == ["closed"])
        // The acknowledgement consumes it.
        try await fixture.waitForRedis(["EXISTS", "mqtt:latest_msg:status/door"], toBe: "0")
        await fixture.stop()
    }
}
