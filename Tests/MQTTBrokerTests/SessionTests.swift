import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// Sessions: takeover, persistence, expiry, assigned ids, wills with delay.
@Suite struct SessionTests {
    @Test func takeoverDisconnectsTheOldConnectionWith0x8E() async throws {
        let fixture = try await BrokerFixture.start()
        let first = try await fixture.client("dup")
        let second = try await fixture.client("dup")
        let reason = try await first.events.first("DISCONNECT at the old connection") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
        #expect(reason == .sessionTakenOver)
        #expect(second.isActive)
        try await waitUntil("old connection closed") { !first.isActive }
        await second.disconnect()
        await fixture.stop()
    }

    @Test func resumedSessionKeepsSubscriptionsAndSaysSessionPresent() async throws {
        let fixture = try await BrokerFixture.start()
        var expiry = MQTTProperties()
        expiry.sessionExpiryInterval = 60
        let first = try await fixture.client("keeper", cleanStart: false) { $0.connectProperties = expiry }
        #expect(first.connack.sessionPresent == false)
        _ = try await first.subscribe("news/#", qos: .atLeastOnce)
        await first.disconnect()
        let publisher = try await fixture.client("pub")
        try await publisher.publish("news/1", "while away", qos: .atLeastOnce)
        let second = try await fixture.client("keeper", cleanStart: false) { $0.connectProperties = expiry }
        #expect(second.connack.sessionPresent == true)
        let messages = try await second.messages.next(1)
        #expect(messages.map(\.payloadString) == ["while away"])
        await fixture.stop()
    }

    @Test func cleanStartDiscardsTheSession() async throws {
        let fixture = try await BrokerFixture.start()
        var expiry = MQTTProperties()
        expiry.sessionExpiryInterval = 60
        let first = try await fixture.client("c", cleanStart: false) { $0.connectProperties = expiry }
        _ = try await first.subscribe("a", qos: .atLeastOnce)
        await first.disconnect()
        let second = try await fixture.client("c", cleanStart: true)
        #expect(second.connack.sessionPresent == false)
        try await waitUntil("old subscription removed") { fixture.broker.stats.subscriptions == 0 }
        await fixture.stop()
    }

    @Test func sessionExpiresAfterItsInterval() async throws {
        let fixture = try await BrokerFixture.start()
        var expiry = MQTTProperties()
        expiry.sessionExpiryInterval = 1
        let client = try await fixture.client("brief", cleanStart: false) { $0.connectProperties = expiry }
        _ = try await client.subscribe("a", qos: .atLeastOnce)
        await client.close()
        try await waitUntil("session kept while the interval runs") {
            !fixture.broker.sessionState(clientID: "brief").connected
        }
        #expect(fixture.broker.sessionState(clientID: "brief").exists)
        try await waitUntil("session gone after 1 s", timeout: .seconds(15)) {
            !fixture.broker.sessionState(clientID: "brief").exists
        }
        #expect(fixture.broker.stats.subscriptions == 0)
        await fixture.stop()
    }

    @Test func emptyClientIDGetsAnAssignedIDIn5() async throws {
        let fixture = try await BrokerFixture.start()
        let client = try await fixture.client("")
        let assigned = try #require(client.connack.properties.assignedClientIdentifier)
        #expect(assigned.hasPrefix("mqtop-"))
        #expect(fixture.broker.sessionState(clientID: assigned).connected)
        await fixture.stop()
    }

    @Test func emptyClientIDWithoutCleanSessionIsRejectedIn311() async throws {
        let fixture = try await BrokerFixture.start()
        await #expect(throws: MQTTClientError.self) {
            _ = try await fixture.client("", version: .v3_1_1, cleanStart: false)
        }
        await fixture.stop()
    }

    @Test func willIsDelayedAndDroppedWhenTheClientReturns() async throws {
        let fixture = try await BrokerFixture.start()
        let watcher = try await fixture.client("watcher")
        _ = try await watcher.subscribe("will/#")
        var willProperties = MQTTProperties()
        willProperties.willDelayInterval = 30
        var expiry = MQTTProperties()
        expiry.sessionExpiryInterval = 60
        let options: (inout MQTTClientOptions) -> Void = {
            $0.will = WillMessage(topic: "will/late", payload: ByteBuffer(string: "late"), properties: willProperties)
            $0.connectProperties = expiry
        }
        let doomed = try await fixture.client("doomed", cleanStart: false, options)
        await doomed.close()
        try await waitUntil("doomed offline") { !fixture.broker.sessionState(clientID: "doomed").connected }
        // Back before the delay: the will never goes out.
        let back = try await fixture.client("doomed", cleanStart: false)
        await back.disconnect()
        try await watcher.publish("will/marker", "marker")
        let received = try await watcher.messages.next(1)
        #expect(received.map(\.topic) == ["will/marker"])
        await fixture.stop()
    }

    @Test func willGoesOutAtSessionExpiryWhenThatIsEarlier() async throws {
        let fixture = try await BrokerFixture.start()
        let watcher = try await fixture.client("watcher")
        _ = try await watcher.subscribe("will/#")
        var willProperties = MQTTProperties()
        willProperties.willDelayInterval = 3600
        var expiry = MQTTProperties()
        expiry.sessionExpiryInterval = 1
        let doomed = try await fixture.client("doomed") {
            $0.will = WillMessage(topic: "will/expired", payload: ByteBuffer(string: "bye"), properties: willProperties)
            $0.connectProperties = expiry
        }
        await doomed.close()
        let received = try await watcher.messages.next(1)
        #expect(received.map(\.topic) == ["will/expired"])
        await fixture.stop()
    }

    @Test func serverKeepAliveCapsTheClientsKeepalive() async throws {
        let fixture = try await BrokerFixture.start { $0.maxKeepAlive = 1 }
        let client = try await fixture.client("sleepy") { $0.keepAlive = 600 }
        #expect(client.connack.properties.serverKeepAlive == 1)
        // The client never pings: after 1.5 s the broker closes with 0x8D.
        let reason = try await client.events.first("keepalive DISCONNECT") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
        #expect(reason == .keepAliveTimeout)
        await fixture.stop()
    }
}
