@testable import MQTTBroker
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// Events reach the sink with the loop they happened on, and the loop says when its tick ends, after the
/// tick's events: what a sink buffers per loop (the Redis backend's lanes) is handed on in order.
@Suite struct EventLaneTests {
    final class LaneRecorder: BrokerEventSink {
        private let log = LockedBox<[String]>([])
        var entries: [String] { log.value }

        func handle(_ event: BrokerEvent) { log.withLock { $0.append("shared:\(Self.name(event))") } }
        func handle(_ event: BrokerEvent, lane: Int) { log.withLock { $0.append("\(lane):\(Self.name(event))") } }
        func laneTickEnds(_ lane: Int) { log.withLock { $0.append("tick:\(lane)") } }

        static func name(_ event: BrokerEvent) -> String {
            switch event {
            case .clientConnected: "connected"
            case .sessionCreated: "created"
            case .messagePublished(let message): "published:\(message.topic)"
            case .sessionSubscribed(_, let subscription): "subscribed:\(subscription.filter)"
            case .messageDelivered: "delivered"
            case .messageAcked: "acked"
            case .clientDisconnected: "disconnected"
            case .sessionUnsubscribed: "unsubscribed"
            }
        }
    }

    @Test func aTicksEventsComeWithTheirLaneAndThenTheTicksEnd() throws {
        let recorder = LaneRecorder()
        let harness = try ServerHandlerTests.Harness(eventSink: recorder)
        try harness.send(ServerHandlerTests.connect("lanes"),
                         .subscribe(SubscribePacket(packetID: 1, subscriptions: [SubscriptionRequest(filter: "t", qos: .atLeastOnce)])),
                         .publish(PublishPacket(topic: "t", payload: ByteBuffer(string: "x"), qos: .atLeastOnce, packetID: 2)))
        harness.loop.run()
        let entries = recorder.entries
        #expect(entries.first == "0:created")
        #expect(entries.contains("0:published:t"))
        #expect(entries.contains("0:delivered"))
        #expect(!entries.contains { $0.hasPrefix("shared:") }, "a session's events all name their loop")
        #expect(entries.last == "tick:0", "the tick's end is told after its events: \(entries)")
        #expect(entries.filter { $0 == "tick:0" }.count == 1, "once per tick, not per event")
        // A PUBACK for the delivery is a new tick, told again.
        let publishes = ServerHandlerTests.publishes(try harness.received())
        let id = try #require(publishes.first?.packetID)
        try harness.send(.publishAck(PublishAckPacket(.puback, packetID: id)))
        harness.loop.run()
        #expect(Array(recorder.entries.suffix(2)) == ["0:acked", "tick:0"])
    }
}
