@testable import MQTTBroker
import MQTTClient
@testable import MQTTCluster
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// A persistent session moves with its client: reconnecting on another node brings its subscriptions,
/// the QoS 1 messages it had not acknowledged (same packet ids, DUP set) and those queued while offline.
@Suite struct SessionHandoverTests {
    @Test func aPersistentSessionFollowsItsClientToAnotherNode() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        try await waitUntil("a and b see each other") {
            a.cluster.members.aliveOthers == ["b"] && b.cluster.members.aliveOthers == ["a"]
        }
        var options = MQTTClientOptions(port: a.port, version: .v3_1_1, clientID: "mover", cleanStart: false)
        options.autoAcknowledge = false
        let first = try await MQTTClient.connect(options)
        _ = try await first.subscribe("p/#", qos: .atLeastOnce)
        let publisher = try await a.client("pub")
        for index in 0..<3 { try await publisher.publish("p/x", "\(index)", qos: .atLeastOnce) }
        let unacknowledged = try await first.messages.next(3)
        await first.close()
        try await waitUntil("mover offline on a") { a.broker.sessionState(clientID: "mover") == (true, false) }
        for index in 3..<5 { try await publisher.publish("p/x", "\(index)", qos: .atLeastOnce) }

        options.port = b.port
        options.autoAcknowledge = true
        let second = try await MQTTClient.connect(options)
        #expect(second.connack.sessionPresent)
        let received = try await second.messages.next(5)
        #expect(received.map(\.payloadString) == ["0", "1", "2", "3", "4"])
        #expect(received.prefix(3).allSatisfy { $0.dup })
        #expect(received.prefix(3).map(\.packetID) == unacknowledged.map(\.packetID))
        #expect(!a.broker.sessionState(clientID: "mover").exists)
        // Its subscription lives on b now: a publish on a reaches it there.
        try await fixture.waitForRoute(from: a, to: b, topic: "p/y")
        try await publisher.publish("p/y", "after", qos: .atLeastOnce)
        #expect(try await second.messages.next(1).map(\.payloadString) == ["after"])
        await second.close()
        await publisher.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
    }

    @Test func withNoSessionAnywhereTheConnectionStartsANewOne() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        try await waitUntil("b sees a") { b.cluster.members.aliveOthers == ["a"] }
        let client = try await MQTTClient.connect(MQTTClientOptions(port: b.port, version: .v3_1_1, clientID: "fresh",
                                                                    cleanStart: false))
        #expect(!client.connack.sessionPresent)
        await client.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
    }

    @Test func anImageReadsBackAsWritten() throws {
        let message = BrokerMessage(id: MessageID("m1"), topic: "t", payload: .init(string: "x"), qos: .exactlyOnce,
                                    retain: false, publisher: "p", timestampMillis: 5)
        let target = try #require(SubscriptionTarget("$share/g/a/+"))
        let image = SessionImage(
            nextPacketID: 42,
            subscriptions: [SessionSubscription(target: target,
                                                options: SubscriptionRequest(filter: "$share/g/a/+", qos: .exactlyOnce,
                                                                             noLocal: true, retainHandling: .sendIfNew),
                                                identifier: 7)],
            outbound: [(9, OutboundMessage(delivery: Delivery(message: message, qos: .exactlyOnce, retain: false,
                                                              subscriptionIdentifiers: [7]), released: true))],
            pending: [Delivery(message: message, qos: .atLeastOnce, retain: true, subscriptionIdentifiers: [])],
            awaitingRelease: [3, 4])
        let now = NIODeadline.now()
        let read = try SessionImage(decoding: image.encoded(now: now), now: now)
        #expect(read.nextPacketID == 42)
        #expect(read.subscriptions.map(\.target) == [target])
        #expect(read.subscriptions.first?.options.noLocal == true)
        #expect(read.subscriptions.first?.options.retainHandling == .sendIfNew)
        #expect(read.subscriptions.first?.identifier == 7)
        #expect(read.outbound.map(\.0) == [9])
        #expect(read.outbound.first?.1.released == true)
        #expect(read.outbound.first?.1.delivery.subscriptionIdentifiers == [7])
        #expect(read.pending.map(\.qos) == [.atLeastOnce])
        #expect(read.pending.first?.retain == true)
        #expect(Set(read.awaitingRelease) == [3, 4])
        var damaged = image.encoded(now: now)
        damaged.moveWriterIndex(to: damaged.writerIndex - 1)
        #expect(throws: (any Error).self) { try SessionImage(decoding: damaged, now: now) }
    }
}
