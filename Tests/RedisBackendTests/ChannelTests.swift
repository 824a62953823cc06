import MQTTBroker
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// The SUB/UNSUB channel: a business server's PUBLISH on mqtt_channel moves an online client's subscriptions.
@Suite struct ChannelTests {
    @Test func subscribeThenUnsubscribeThroughTheChannel() async throws {
        let fixture = try await BackendFixture.start()
        let device = try await MosquittoSubscriber.start(port: fixture.port, ["-i", "test", "-t", "boot"])
        try await fixture.redis.cli("PUBLISH", "mqtt_channel",
                                    #"{"type": "subscribe", "topic": "topic0", "clientid": "test", "qos": "0"}"#)
        try await waitUntil("channel subscription made") { fixture.broker.stats.subscriptions == 2 }
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-t", "topic0", "-m", "pushed"])
        #expect(try await device.waitForMessages(1) == ["topic0 pushed"])
        try await fixture.redis.cli("PUBLISH", "mqtt_channel",
                                    #"{"type": "unsubscribe", "topic": "topic0", "clientid": "test"}"#)
        try await waitUntil("channel subscription removed") { fixture.broker.stats.subscriptions == 1 }
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-t", "topic0", "-m", "not delivered"])
        try await mosquittoPub(port: fixture.port, ["-q", "1", "-t", "boot", "-m", "marker"])
        #expect(try await device.waitForMessages(2) == ["topic0 pushed", "boot marker"])
        await device.stop()
        await fixture.stop()
    }

    @Test(arguments: [
        "not json", #"{"type": "teleport", "topic": "a", "clientid": "test"}"#,
        #"{"type": "subscribe", "topic": "a/#/b", "clientid": "test"}"#, #"{"type": "subscribe", "topic": "a"}"#,
        #"{"type": "subscribe", "topic": "a", "clientid": "test", "qos": 7}"#,
        #"{"type": "subscribe", "topic": "a", "clientid": "test", "qos": true}"#,
        #"{"type": "subscribe", "topic": "a", "clientid": "nobody-here"}"#,
    ])
    func badEventsChangeNothing(event: String) async throws {
        let fixture = try await BackendFixture.start()
        let device = try await fixture.client("test")
        try await fixture.redis.cli("PUBLISH", "mqtt_channel", event)
        // A good event after the bad one proves the bad one was processed (and ignored).
        try await fixture.redis.cli("PUBLISH", "mqtt_channel",
                                    #"{"type": "subscribe", "topic": "good", "clientid": "test", "qos": 1}"#)
        try await waitUntil("good event applied") { fixture.broker.stats.subscriptions >= 1 }
        #expect(fixture.broker.stats.subscriptions == 1)
        await device.disconnect()
        await fixture.stop()
    }
}
