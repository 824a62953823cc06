import Foundation
import Monitor
import Testing

/// The traffic table's bounds: exact counts whatever is dropped, idle topics evicted first, the payload
/// budget kept, rates that show a burst and fade.
@Suite struct TrafficTableTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func sample(_ topic: String, bytes: Int = 10, at seconds: Double) -> TrafficSample {
        TrafficSample(topic: topic, payload: Data(repeating: 0x61, count: bytes), qos: 0, retain: false,
                      time: start.addingTimeInterval(seconds))
    }

    @Test func countsStayExactWhenTheSourceShedsAndTailsAreBounded() {
        var table = TrafficTable(limits: .init(topics: 10, tailLength: 3, payloadBudget: 1 << 20))
        var shed = ShedCount()
        for _ in 0..<7 { shed.add(size: 10, qos: 1, retain: true, time: Self.start.addingTimeInterval(9)) }
        table.ingest(TrafficBatch(samples: (0..<5).map { Self.sample("a", at: Double($0)) }, shed: ["a": shed]))
        let a = table.topics["a"]
        #expect(a?.messages == 12 && a?.bytes == 120)
        // Each kept message costs its payload and the overhead around it.
        #expect(a?.tail.count == 3 && table.payloadBytes == 3 * (10 + TrafficLimits.tailEntryOverhead))
        #expect(a?.lastQoS == 1 && a?.lastRetain == true)
        #expect(table.totalMessages == 12 && table.unsampledMessages == 7)
    }

    @Test func theIdlestTopicsAreEvictedAndCounted() {
        var table = TrafficTable(limits: .init(topics: 10, tailLength: 3, payloadBudget: 1 << 20))
        table.ingest(TrafficBatch(samples: (0..<10).map { Self.sample("t/\($0)", at: Double($0)) }))
        #expect(table.topics.count == 10 && table.evictedTopics == 0)
        table.ingest(TrafficBatch(samples: [Self.sample("t/new", at: 20)]))
        // Down to nine tenths of the limit, oldest first; the newest survive.
        #expect(table.topics.count == 9 && table.evictedTopics == 2)
        #expect(table.topics["t/0"] == nil && table.topics["t/1"] == nil && table.topics["t/new"] != nil)
        #expect(table.payloadBytes == 9 * (10 + TrafficLimits.tailEntryOverhead))
    }

    @Test func payloadsStayWithinTheBudgetByShorteningIdleTails() {
        let cost = 10 + TrafficLimits.tailEntryOverhead
        var table = TrafficTable(limits: .init(topics: 100, tailLength: 100, payloadBudget: 70 * cost))
        table.ingest(TrafficBatch(samples: (0..<50).map { Self.sample("old", bytes: 10, at: Double($0) / 100) }))
        table.ingest(TrafficBatch(samples: (0..<60).map { Self.sample("busy", bytes: 10, at: 10 + Double($0)) }))
        #expect(table.payloadBytes <= 70 * cost)
        #expect(table.topics["busy"]?.tail.count == 60)
        #expect((table.topics["old"]?.tail.count ?? 0) < 50 && table.trimmedSamples > 0)
        #expect(table.topics["old"]?.messages == 50)
    }

    @Test func ratesShowABurstAndFade() {
        var table = TrafficTable()
        table.ingest(TrafficBatch(samples: [Self.sample("x", at: 0)]))
        table.updateRates(now: Self.start)
        #expect(table.topics["x"]?.rate == 0)
        table.ingest(TrafficBatch(samples: (0..<100).map { Self.sample("x", at: 0.5 + Double($0) / 1000) }))
        table.updateRates(now: Self.start.addingTimeInterval(1))
        #expect(table.topics["x"]?.rate == 50)
        for second in 2...12 { table.updateRates(now: Self.start.addingTimeInterval(Double(second))) }
        #expect(table.topics["x"]?.rate == 0)
        #expect(table.rows(sortedBy: .rate).first?.messages == 101)
    }

    @Test func aLongPayloadIsCutButItsSizeKept() {
        let big = TrafficSample(topic: "b", payload: Data(count: TrafficLimits.payloadBytesKept * 2), qos: 0,
                                retain: false, time: Self.start)
        #expect(big.payload.count == TrafficLimits.payloadBytesKept && big.size == TrafficLimits.payloadBytesKept * 2)
    }
}
