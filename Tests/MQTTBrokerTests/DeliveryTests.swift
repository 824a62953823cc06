import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// Delivery rules mature brokers get wrong: overlapping subscriptions, identifiers, aliases, limits.
@Suite struct DeliveryTests {
    @Test func overlappingSubscriptionsDeliverOnceAtHighestQoSIn311() async throws {
        let fixture = try await BrokerFixture.start()
        let client = try await fixture.client("overlap", version: .v3_1_1)
        _ = try await client.subscribe([SubscriptionRequest(filter: "a/+", qos: .atMostOnce),
                                        SubscriptionRequest(filter: "a/#", qos: .exactlyOnce)])
        try await client.publish("a/b", "one", qos: .exactlyOnce)
        try await client.publish("a/end", "end", qos: .exactlyOnce)
        let received = try await client.messages.next(2)
        #expect(received.map(\.payloadString) == ["one", "end"])
        #expect(received[0].qos == .exactlyOnce)
        await fixture.stop()
    }

    @Test func oneCopyCarriesEverySubscriptionIdentifierIn5() async throws {
        let fixture = try await BrokerFixture.start()
        let client = try await fixture.client("ids")
        var first = MQTTProperties()
        first.subscriptionIdentifiers = [11]
        var second = MQTTProperties()
        second.subscriptionIdentifiers = [22]
        _ = try await client.subscribe([SubscriptionRequest(filter: "s/+", qos: .atLeastOnce)], properties: first)
        _ = try await client.subscribe([SubscriptionRequest(filter: "s/#", qos: .atMostOnce)], properties: second)
        try await client.publish("s/x", "x", qos: .atLeastOnce)
        try await client.publish("s/end", "end", qos: .atLeastOnce)
        let received = try await client.messages.next(2)
        #expect(received.map(\.payloadString) == ["x", "end"])
        #expect(Set(received[0].properties.subscriptionIdentifiers) == [11, 22])
        #expect(received[0].qos == .atLeastOnce)
        await fixture.stop()
    }

    /// Two subscriptions with the same identifier: the PUBLISH lists it once, as Mosquitto does.
    @Test func aSharedSubscriptionIdentifierIsListedOnce() async throws {
        let fixture = try await BrokerFixture.start()
        let client = try await fixture.client("same-id")
        var properties = MQTTProperties()
        properties.subscriptionIdentifiers = [7]
        _ = try await client.subscribe([SubscriptionRequest(filter: "d/+", qos: .atLeastOnce),
                                        SubscriptionRequest(filter: "d/#", qos: .atLeastOnce)], properties: properties)
        try await client.publish("d/x", "x", qos: .atLeastOnce)
        let received = try await client.messages.next(1)
        #expect(received[0].properties.subscriptionIdentifiers == [7])
        await fixture.stop()
    }

    @Test func noLocalAndRetainAsPublished() async throws {
        let fixture = try await BrokerFixture.start()
        let client = try await fixture.client("local")
        _ = try await client.subscribe([SubscriptionRequest(filter: "own", qos: .atLeastOnce, noLocal: true),
                                        SubscriptionRequest(filter: "rap", qos: .atLeastOnce, retainAsPublished: true),
                                        SubscriptionRequest(filter: "plain", qos: .atLeastOnce)])
        try await client.publish("own", "not for me", qos: .atLeastOnce)
        try await client.publish("rap", "kept", qos: .atLeastOnce, retain: true)
        try await client.publish("plain", "cleared", qos: .atLeastOnce, retain: true)
        let received = try await client.messages.next(2)
        #expect(received.map(\.payloadString) == ["kept", "cleared"])
        #expect(received.map(\.retain) == [true, false])
        await fixture.stop()
    }

    @Test func retainHandlingOptions() async throws {
        let fixture = try await BrokerFixture.start()
        let publisher = try await fixture.client("pub")
        try await publisher.publish("rh/a", "stored", qos: .atLeastOnce, retain: true)
        let client = try await fixture.client("sub")
        _ = try await client.subscribe([SubscriptionRequest(filter: "rh/a", qos: .atLeastOnce, retainHandling: .doNotSend)])
        _ = try await client.subscribe([SubscriptionRequest(filter: "rh/+", qos: .atLeastOnce, retainHandling: .sendIfNew)])
        _ = try await client.subscribe([SubscriptionRequest(filter: "rh/+", qos: .atLeastOnce, retainHandling: .sendIfNew)])
        try await publisher.publish("rh/end", "end", qos: .atLeastOnce)
        let received = try await client.messages.next(2)
        // Only the first subscription to rh/+ (new) brought the retained message; rh/end matches both filters.
        #expect(received.map(\.payloadString) == ["stored", "end"])
        #expect(received[0].retain)
        await fixture.stop()
    }

    @Test func outgoingTopicAliasesWhenTheClientAllowsThem() async throws {
        let fixture = try await BrokerFixture.start()
        var properties = MQTTProperties()
        properties.topicAliasMaximum = 4
        let client = try await fixture.client("alias") { $0.connectProperties = properties }
        _ = try await client.subscribe("long/topic/name")
        for n in 1...3 { try await client.publish("long/topic/name", "\(n)", qos: .atLeastOnce) }
        let received = try await client.messages.next(3)
        #expect(received.map(\.topic) == Array(repeating: "long/topic/name", count: 3))
        #expect(received.map(\.topicAlias) == [1, 1, 1])
        let raw = try await client.events.first("an aliased PUBLISH with an empty topic") { event -> String? in
            if case .packet(.publish(let p)) = event, p.properties.topicAlias == 1, p.topic.isEmpty { return "ok" }
            return nil
        }
        #expect(raw == "ok")
        await fixture.stop()
    }

    @Test func incomingTopicAliasesResolve() async throws {
        let fixture = try await BrokerFixture.start()
        let subscriber = try await fixture.client("s")
        _ = try await subscriber.subscribe("t/alias")
        let publisher = try await fixture.client("p")
        var first = MQTTProperties()
        first.topicAlias = 2
        try await publisher.publish("t/alias", "first", qos: .atLeastOnce, properties: first)
        try await publisher.publish("", "second", qos: .atLeastOnce, properties: first)
        #expect(try await subscriber.messages.next(2).map(\.payloadString) == ["first", "second"])
        await fixture.stop()
    }

    // Message expiry is tested in virtual time: ServerHandlerTests.messageExpiryDropsStaleQueuedMessagesAndCountsDown.

    @Test func clientExceedingReceiveMaximumIsDisconnectedWith0x93() async throws {
        let fixture = try await BrokerFixture.start { $0.receiveMaximum = 2 }
        let client = try await fixture.client("greedy") { $0.autoAcknowledge = false }
        #expect(client.connack.properties.receiveMaximum == 2)
        for id: UInt16 in 1...3 {
            try await client.send(.publish(PublishPacket(topic: "q2", payload: ByteBuffer(string: "\(id)"),
                                                         qos: .exactlyOnce, packetID: id)))
        }
        let reason = try await client.events.first("DISCONNECT 0x93") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
        #expect(reason == .receiveMaximumExceeded)
        await fixture.stop()
    }

    @Test func slowSubscriberGetsEveryQoS1MessageUpToTheQueueBound() async throws {
        let fixture = try await BrokerFixture.start { $0.maxInflight = 5; $0.maxQueuedPerSession = 1000 }
        // A subscriber that acknowledges nothing: 5 in flight, the rest queued, none dropped.
        let slow = try await fixture.client("slow") { $0.autoAcknowledge = false }
        _ = try await slow.subscribe("fan/#", qos: .atLeastOnce)
        let publishers = try await withThrowingTaskGroup(of: MQTTClient.self) { group in
            for n in 0..<8 { group.addTask { try await fixture.client("pub\(n)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, publisher) in publishers.enumerated() {
                group.addTask {
                    for m in 0..<100 { try await publisher.publish("fan/\(n)", "\(m)", qos: .atLeastOnce) }
                }
            }
            try await group.waitForAll()
        }
        // Deliveries to another event loop land a moment after the publisher's PUBACK.
        try await waitUntil("5 in flight and 795 queued") {
            fixture.broker.stats.inflight == 5 && fixture.broker.stats.queued == 795
        }
        #expect(fixture.broker.stats.publishDropped == 0)
        await fixture.stop()
    }

    @Test func qos2IsRedeliveredWithDupAfterReconnectAndCompletedOnce() async throws {
        let fixture = try await BrokerFixture.start()
        var expiry = MQTTProperties()
        expiry.sessionExpiryInterval = 60
        let first = try await fixture.client("q2", cleanStart: false) {
            $0.connectProperties = expiry
            $0.autoAcknowledge = false
        }
        _ = try await first.subscribe("once", qos: .exactlyOnce)
        let publisher = try await fixture.client("p")
        try await publisher.publish("once", "exactly", qos: .exactlyOnce)
        let original = try await first.messages.next(1)
        #expect(original[0].dup == false)
        await first.close()
        let second = try await fixture.client("q2", cleanStart: false) { $0.connectProperties = expiry }
        let again = try await second.messages.next(1)
        #expect(again[0].dup == true)
        #expect(again[0].packetID == original[0].packetID)
        #expect(again[0].payloadString == "exactly")
        // The automatic PUBREC/PUBCOMP completes it: the broker's window empties.
        try await waitUntil("QoS 2 completed") { fixture.broker.stats.inflight == 0 }
        await fixture.stop()
    }
}

/// End-to-end flow control: a backing-up subscriber holds back its publishers' PUBACKs instead of dropping.
@Suite struct FlowControlTests {
    @Test func fanInToASlowSubscriberDropsNothing() async throws {
        let fixture = try await BrokerFixture.start {
            $0.maxInflight = 2
            $0.maxQueuedPerSession = 30
            $0.flowControlThreshold = 10
        }
        let subscriber = try await fixture.client("sink")
        _ = try await subscriber.subscribe("fan/#", qos: .atLeastOnce)
        let publishers = try await withThrowingTaskGroup(of: MQTTClient.self) { group in
            for n in 0..<8 { group.addTask { try await fixture.client("pub\(n)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let received = try await subscriber.messages.next(80, timeout: .seconds(30))
                #expect(received.count == 80)
            }
            for (n, publisher) in publishers.enumerated() {
                group.addTask {
                    for m in 0..<10 { try await publisher.publish("fan/\(n)", "\(m)", qos: .atLeastOnce) }
                }
            }
            try await group.waitForAll()
        }
        #expect(fixture.broker.stats.publishDropped == 0)
        await fixture.stop()
    }
}

/// `--max-publish-rate`: a client over the limit is slowed down by not reading its socket; nothing is lost.
@Suite struct PublishRateTests {
    @Test func fastPublisherIsPacedNotDropped() async throws {
        let fixture = try await BrokerFixture.start { $0.maxPublishRate = 50 }
        let subscriber = try await fixture.client("sink")
        _ = try await subscriber.subscribe("rate/#")
        let publisher = try await fixture.client("fast")
        let clock = ContinuousClock()
        let start = clock.now
        for n in 0..<150 { try await publisher.publish("rate/x", "\(n)", qos: .atLeastOnce) }
        let elapsed = clock.now - start
        #expect(try await subscriber.messages.next(150).count == 150)
        // 50 burst + 100 more at 50/s: at least ~2 s. Only a lower bound: the point is the pacing.
        #expect(elapsed >= .milliseconds(1500))
        await fixture.stop()
    }
}

/// Limits: a stalled subscriber does not hold up others; connections past the limit are refused cleanly.
@Suite struct LimitTests {
    @Test func stalledSubscriberDoesNotStopAFastOne() async throws {
        let fixture = try await BrokerFixture.start { $0.maxInflight = 10; $0.maxQueuedPerSession = 100 }
        let stalled = try await fixture.client("stalled") { $0.autoAcknowledge = false }
        _ = try await stalled.subscribe("slow/#", qos: .atLeastOnce)
        let fast = try await fixture.client("fast")
        _ = try await fast.subscribe("quick/#", qos: .atLeastOnce)
        let toSlow = try await fixture.client("p-slow")
        let toFast = try await fixture.client("p-fast")
        // The stalled subscriber's queue fills and overflows (its publisher's acks are released every second).
        let flood = Task { for n in 0..<300 { _ = try? await toSlow.publish("slow/x", "\(n)", qos: .atLeastOnce) } }
        for n in 0..<200 { try await toFast.publish("quick/x", "\(n)", qos: .atLeastOnce) }
        #expect(try await fast.messages.next(200).count == 200)
        flood.cancel()
        await fixture.stop()
    }

    @Test func connectionsPastTheLimitGetServerBusy() async throws {
        let fixture = try await BrokerFixture.start { $0.maxConnections = 2 }
        _ = try await fixture.client("one")
        _ = try await fixture.client("two")
        await #expect(throws: MQTTClientError.self) { _ = try await fixture.client("three") }
        do {
            _ = try await fixture.client("four")
        } catch let error as MQTTClientError {
            #expect(error.kind == .connectionRefused(.serverBusy))
        }
        await fixture.stop()
    }
}
