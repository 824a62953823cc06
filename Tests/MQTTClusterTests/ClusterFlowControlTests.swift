@testable import MQTTBroker
@testable import MQTTCluster
import Testing
import TestSupport

/// Flow control across nodes: a node says once that it is congested and once that all drained; the gates
/// of congested nodes hold their publishers.
@Suite struct ClusterFlowControlTests {
    @Test func congestionIsAnnouncedOnceAndReliefWhenTheLastSessionDrained() async throws {
        let broker = Broker(configuration: BrokerConfiguration())
        let said = LockedBox<[Bool]>([])
        let flow = ClusterFlowControl { congested in said.withLock { $0.append(congested) } }
        // Two sessions fed by other nodes, backing up (a gate's handle is a session's handle).
        let first = broker.makeFlowGate(name: "s1")
        let second = broker.makeFlowGate(name: "s2")
        first.congest()
        second.congest()
        flow.watch(CongestionProbe(handle: first.handle))
        flow.watch(CongestionProbe(handle: second.handle))
        #expect(said.value == [true])
        first.relieve()
        try await waitUntil("the drained session is no longer watched") { flow.watchedCount == 1 }
        #expect(said.value == [true], "one session still backs up")
        second.relieve()
        try await waitUntil("relief announced") { said.value == [true, false] }
        await broker.shutdown()
    }

    @Test func aCongestedNodesGateHoldsItsPublishersUntilRelief() async {
        let broker = Broker(configuration: BrokerConfiguration())
        let flow = ClusterFlowControl { _ in }
        #expect(flow.closedGate(among: ["b"]) == nil)
        flow.set("b", congested: true) { broker.makeFlowGate(name: "b") }
        #expect(flow.closedGate(among: ["a", "b"])?.isCongested == true)
        #expect(flow.closedGate(among: ["a"]) == nil)
        flow.set("b", congested: false) { nil }
        #expect(flow.closedGate(among: ["b"]) == nil)
        await broker.shutdown()
    }
}
