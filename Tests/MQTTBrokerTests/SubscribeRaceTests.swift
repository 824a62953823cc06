import Dispatch
@testable import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// A SUBSCRIBE is routed for every publish the broker reads after it, on every event loop, without waiting
/// for its SUBACK.
@Suite struct SubscribeRaceTests {
    /// Two clients on different connections (and event loops): B sends SUBSCRIBE and does not wait for the
    /// SUBACK; A publishes as soon as the broker has read it. 100 rounds, nothing lost.
    @Test func aPublishReadAfterASubscribeOnAnotherLoopMatchesIt() async throws {
        let fixture = try await BrokerFixture.start()
        let subscriber = try await fixture.client("race-b")
        let publisher = try await fixture.client("race-a")
        let loops = try #require(fixture.broker.core.registry.lookup("race-b")?.loopIndex)
        #expect(fixture.broker.core.registry.lookup("race-a")?.loopIndex != loops, "the two clients share a loop")
        let rounds = 100
        for round in 0..<rounds {
            let subscribe = SubscribePacket(packetID: UInt16(round + 1),
                                            subscriptions: [SubscriptionRequest(filter: "race/\(round)", qos: .atLeastOnce)])
            try await subscriber.send(.subscribe(subscribe))
            try await waitUntil("SUBSCRIBE \(round) read", poll: .milliseconds(1)) {
                fixture.broker.stats.subscriptions == round + 1
            }
            try await publisher.publish("race/\(round)", "\(round)", qos: .atLeastOnce)
        }
        let received = try await subscriber.messages.next(rounds)
        #expect(received.map(\.payloadString) == (0..<rounds).map(String.init))
        await fixture.stop()
    }

    /// The window itself, made deterministic: loop 0 is held inside a task while loop 1 records a route, and
    /// routes a publish the moment it is let go, before it runs any other task. It must see the route.
    @Test func aLoopRoutesAChangeRecordedOnAnotherLoopBeforeItsNextTask() async throws {
        let fixture = try await BrokerFixture.start()
        let core = fixture.broker.core
        let first = core.routers.entries[0]
        let second = core.routers.entries[1]
        let handle = SessionHandle(clientID: "remote", loop: second.loop, loopIndex: 1, gate: core.routers.gate)
        let target = try #require(SubscriptionTarget("window/#"))
        let message = core.makeMessage(topic: "window/a", payload: ByteBuffer(string: "x"), qos: .atMostOnce,
                                       retain: false, publisher: nil)
        let recorded = DispatchSemaphore(value: 0)
        let routed = first.loop.submit { () -> Int in
            recorded.wait()
            return first.router?.route(message, from: nil).sessions ?? -1
        }
        second.loop.execute {
            core.addRoute(target, route: Route(subscriber: handle, qos: .atMostOnce, noLocal: false,
                                               retainAsPublished: false, identifier: nil))
            recorded.signal()
        }
        #expect(try await routed.get() == 1)
        await fixture.stop()
    }
}
