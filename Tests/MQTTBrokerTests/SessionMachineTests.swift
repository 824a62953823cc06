@testable import MQTTBroker
import MQTTCore
import NIOCore
import Testing

/// The session's MQTT logic with a manual clock: QoS flows, the inflight window, will delay, session and
/// message expiry, flow control, and the violations that end a connection. No sockets and no sleeps.
@Suite struct SessionMachineTests {
    static func connect(receiveMaximum: UInt16? = nil, expiry: UInt32? = nil, will: WillMessage? = nil,
                        version: MQTTVersion = .v5, cleanStart: Bool = true) -> ConnectPacket {
        var properties = MQTTProperties()
        properties.receiveMaximum = receiveMaximum
        properties.sessionExpiryInterval = expiry
        return ConnectPacket(version: version, clientID: "c1", cleanStart: cleanStart, will: will,
                             properties: version.hasProperties ? properties : MQTTProperties())
    }

    static func will(delay: UInt32) -> WillMessage {
        var properties = MQTTProperties()
        properties.willDelayInterval = delay
        return WillMessage(topic: "wills/c1", payload: ByteBuffer(string: "gone"), qos: .atLeastOnce,
                           properties: properties)
    }

    // MARK: - QoS flows

    @Test func connackFirstThenNothingElseForANewSession() {
        var harness = SessionMachineHarness()
        let actions = harness.connect(Self.connect())
        guard case .connack(let connack) = actions.written.first else {
            Issue.record("no CONNACK: \(actions)")
            return
        }
        #expect(connack.reason == .success)
        #expect(!connack.sessionPresent)
        #expect(actions.written.count == 1)
    }

    @Test func qos1IsAcknowledgedAndFreesItsSlot() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect())
        let message = harness.message("t/1")
        let sent = harness.deliver(message)
        let publish = try! #require(sent.publishes.first)
        let id = try! #require(publish.packetID)
        #expect(harness.machine.outbound.count == 1)
        let acked = harness.receive(.publishAck(PublishAckPacket(.puback, packetID: id)))
        #expect(acked.acked.map(\.id) == [message.id])
        #expect(harness.machine.outbound.isEmpty)
        // A second PUBACK for the same id acknowledges nothing.
        #expect(harness.receive(.publishAck(PublishAckPacket(.puback, packetID: id))).acked.isEmpty)
    }

    @Test func theInflightWindowHoldsTheRestInOrder() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(receiveMaximum: 2))
        var ids: [UInt16] = []
        for n in 1...5 {
            ids += harness.deliver(harness.message("t", "m\(n)")).publishes.compactMap(\.packetID)
        }
        #expect(ids.count == 2, "the client's Receive Maximum is the window")
        #expect(harness.machine.pending.count == 3)
        // QoS 0 is not held by the window, but keeps its place behind what is queued.
        #expect(harness.deliver(harness.message("t", "q0", qos: .atMostOnce)).publishes.isEmpty)
        let next = harness.receive(.publishAck(PublishAckPacket(.puback, packetID: ids[0])))
        #expect(next.publishes.map { String(buffer: $0.payload) } == ["m3"])
        #expect(harness.machine.outbound.count == 2)
    }

    @Test func qos2OutboundRunsPubrecPubrelPubcomp() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect())
        let message = harness.message("t", qos: .exactlyOnce)
        let id = try! #require(harness.deliver(message).publishes.first?.packetID)
        let rec = harness.receive(.publishAck(PublishAckPacket(.pubrec, packetID: id)))
        #expect(rec.acked.map(\.id) == [message.id], "PUBREC acknowledges the message")
        #expect(rec.acknowledgements.map(\.kind) == [.pubrel])
        #expect(harness.machine.outbound.count == 1, "the slot stays until PUBCOMP")
        harness.receive(.publishAck(PublishAckPacket(.pubcomp, packetID: id)))
        #expect(harness.machine.outbound.isEmpty)
    }

    @Test func qos2InboundIsRoutedOnceUntilReleased() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect())
        let publish = PublishPacket(topic: "in", payload: ByteBuffer(string: "once"), qos: .exactlyOnce, packetID: 7)
        let first = harness.receive(.publish(publish))
        #expect(first.routed.count == 1)
        #expect(first.routed.first?.acknowledgement?.kind == .pubrec)
        var again = publish
        again.dup = true
        let retransmitted = harness.receive(.publish(again))
        #expect(retransmitted.routed.isEmpty, "a retransmission is not routed twice")
        #expect(retransmitted.acknowledgements.map(\.kind) == [.pubrec])
        let released = harness.receive(.publishAck(PublishAckPacket(.pubrel, packetID: 7)))
        #expect(released.acknowledgements.map(\.reason) == [.success])
        #expect(harness.receive(.publish(publish)).routed.count == 1, "after PUBCOMP the id is new again")
    }

    @Test func theUnroutedAcknowledgementSaysNoMatchingSubscribersOnlyOn5() {
        let v5 = SessionMachineHarness()
        #expect(v5.machine.acknowledgement(.puback, packetID: 1, sessionsReached: 0).reason == .noMatchingSubscribers)
        #expect(v5.machine.acknowledgement(.puback, packetID: 1, sessionsReached: 2).reason == .success)
        let v3 = SessionMachineHarness(version: .v3_1_1)
        #expect(v3.machine.acknowledgement(.puback, packetID: 1, sessionsReached: 0).reason == .success)
    }

    @Test func inflightIsResentWithDupOnReconnect() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(expiry: 60))
        let id = try! #require(harness.deliver(harness.message("t")).publishes.first?.packetID)
        harness.lose()
        let resumed = harness.connect(Self.connect(expiry: 60, cleanStart: false), sessionPresent: true)
        #expect(resumed.publishes.map(\.packetID) == [id])
        #expect(resumed.publishes.first?.dup == true)
    }

    // MARK: - Timers

    @Test func aDelayedWillWaitsForItsDelay() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(expiry: 60, will: Self.will(delay: 5)))
        #expect(harness.lose().willsPublished.isEmpty)
        #expect(harness.advance(by: .seconds(4)).willsPublished.isEmpty)
        #expect(harness.advance(by: .seconds(1)).willsPublished.map(\.topic) == ["wills/c1"])
        #expect(harness.advance(by: .seconds(55)).hasEnded, "the session expires 60 s after the connection went")
    }

    @Test func aClientBackInTimeCancelsItsWill() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(expiry: 60, will: Self.will(delay: 5)))
        harness.lose()
        harness.advance(by: .seconds(3))
        harness.connect(Self.connect(expiry: 60, cleanStart: false), sessionPresent: true)
        #expect(harness.timers.isEmpty)
        #expect(harness.advance(by: .seconds(120)).isEmpty)
    }

    @Test func theWillGoesAtTheSessionsEndWhenThatIsSooner() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(expiry: 10, will: Self.will(delay: 300)))
        harness.lose()
        let atTen = harness.advance(by: .seconds(10))
        #expect(atTen.willsPublished.count == 1)
        #expect(atTen.hasEnded)
    }

    @Test func noWillAfterANormalDisconnectAndExpiryZeroEndsAtOnce() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(will: Self.will(delay: 0)))
        let actions = harness.receive(.disconnect(DisconnectPacket()))
        #expect(actions.detached == [.close])
        #expect(actions.willsPublished.isEmpty)
        #expect(actions.hasEnded, "session expiry 0 ends the session with its connection")
    }

    @Test func disconnectWithWillPublishesIt() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(will: Self.will(delay: 0)))
        let actions = harness.receive(.disconnect(DisconnectPacket(reason: .disconnectWithWill)))
        #expect(actions.willsPublished.count == 1)
    }

    @Test func anExpiredMessageIsNotSentWhenTheClientReturns() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(expiry: 600))
        harness.lose()
        harness.deliver(harness.message("t", "short", expiresIn: .seconds(2)))
        harness.deliver(harness.message("t", "long", expiresIn: .seconds(30)))
        harness.advance(by: .seconds(10))
        let resumed = harness.connect(Self.connect(expiry: 600, cleanStart: false), sessionPresent: true)
        #expect(resumed.publishes.map { String(buffer: $0.payload) } == ["long"])
        #expect(resumed.publishes.first?.properties.messageExpiryInterval == 20, "the interval is counted down")
    }

    @Test func aBackedUpQueueHoldsPublishersAndTheHoldIsBounded() {
        var harness = SessionMachineHarness { $0.flowControlThreshold = 4 }
        harness.connect(Self.connect())
        harness.output.canWrite = false
        var changes: [FlowChange] = []
        for n in 1...4 { changes += harness.deliver(harness.message("t", "m\(n)")).flowChanges }
        #expect(changes == [.congest])
        #expect(harness.machine.isCongested)
        #expect(harness.advance(by: FlowControl.maximumHold).flowChanges == [.releaseParked])
        #expect(harness.timers[.flow] != nil, "still congested: the hold is re-armed")
        let drained = harness.writable()
        #expect(drained.publishes.count == 4)
        #expect(drained.flowChanges == [.relieve])
        #expect(harness.timers[.flow] == nil)
    }

    @Test func aFullQueueDropsItsOldestQoS0First() {
        var harness = SessionMachineHarness { $0.maxQueuedPerSession = 2 }
        harness.connect(Self.connect(expiry: 60))
        harness.lose()
        harness.deliver(harness.message("t", "zero", qos: .atMostOnce))
        harness.deliver(harness.message("t", "one"))
        harness.deliver(harness.message("t", "two"))
        #expect(harness.machine.pending.map { String(buffer: $0.message.payload) } == ["one", "two"])
        #expect(harness.machine.droppedCount == 1)
    }

    // MARK: - Violations

    @Test func expiryTurnedOnAtDisconnectIsAProtocolError() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(will: Self.will(delay: 0)))
        var properties = MQTTProperties()
        properties.sessionExpiryInterval = 30
        let actions = harness.receive(.disconnect(DisconnectPacket(properties: properties)))
        #expect(actions.violations == [.protocolError])
        #expect(actions.detached == [.end(.protocolError)], "one place says DISCONNECT with the reason")
        #expect(actions.willsPublished.count == 1, "a violation publishes the will")
    }

    @Test func anUnknownTopicAliasEndsTheConnection() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect())
        var publish = PublishPacket(topic: "", payload: ByteBuffer(string: "x"))
        publish.properties.topicAlias = 3
        let actions = harness.receive(.publish(publish))
        #expect(actions.violations == [.protocolError])
        #expect(actions.routed.isEmpty)
        #expect(harness.receive(.pingreq).isEmpty, "nothing is acted on after the connection is let go")
    }

    @Test func aTakeoverEndsTheOldConnectionWithSessionTakenOver() {
        var harness = SessionMachineHarness()
        harness.connect(Self.connect(expiry: 60))
        let actions = harness.connect(Self.connect(expiry: 60, cleanStart: false), sessionPresent: true)
        #expect(actions.detached == [.end(.sessionTakenOver)])
        guard case .connack(let connack) = actions.written.first else {
            Issue.record("no CONNACK for the new connection")
            return
        }
        #expect(connack.sessionPresent)
    }
}
