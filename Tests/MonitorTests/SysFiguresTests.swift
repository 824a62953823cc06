import Foundation
import Monitor
import Testing

/// `$SYS` as Mosquitto (and mqtop) and EMQX publish it, read into the figures line.
@Suite struct SysFiguresTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func mosquittoNamesAndRatesFromCounters() {
        var sys = SysFigures()
        let known = sys.apply(topic: "$SYS/broker/version", payload: "mosquitto version 2.0.11", at: Self.start)
        #expect(known)
        sys.apply(topic: "$SYS/broker/uptime", payload: "754 seconds", at: Self.start)
        sys.apply(topic: "$SYS/broker/clients/connected", payload: "3", at: Self.start)
        sys.apply(topic: "$SYS/broker/load/messages/received/1min", payload: "120.00", at: Self.start)
        sys.apply(topic: "$SYS/broker/publish/messages/received", payload: "1000", at: Self.start)
        sys.apply(topic: "$SYS/broker/bytes/received", payload: "2048", at: Self.start)
        sys.apply(topic: "$SYS/broker/retained messages/count", payload: "7", at: Self.start)
        sys.apply(topic: "$SYS/broker/subscriptions/count", payload: "4", at: Self.start)
        let heap = sys.apply(topic: "$SYS/broker/heap/current", payload: "5", at: Self.start)
        #expect(!heap)
        #expect(sys.figures.node == "mosquitto version 2.0.11" && sys.figures.uptimeSeconds == 754)
        #expect(sys.figures.connections == 3 && sys.figures.bytesIn == 2048)
        #expect(sys.figures.retained == 7 && sys.figures.subscriptions == 4)
        // The one-minute load until the counter has moved once.
        #expect(sys.figures.messagesInPerSecond == 2)
        sys.apply(topic: "$SYS/broker/publish/messages/received", payload: "1050", at: Self.start.addingTimeInterval(10))
        #expect(sys.figures.messagesInPerSecond == 5)
    }

    @Test func emqxNamesWithSlashesOrDots() {
        var sys = SysFigures()
        sys.apply(topic: "$SYS/brokers/emqx@10.0.0.1/stats/connections/count", payload: "12", at: Self.start)
        sys.apply(topic: "$SYS/brokers/emqx@10.0.0.1/stats/retained.count", payload: "3", at: Self.start)
        sys.apply(topic: "$SYS/brokers/emqx@10.0.0.1/metrics/messages/dropped", payload: "9", at: Self.start)
        sys.apply(topic: "$SYS/brokers/emqx@10.0.0.1/uptime", payload: "1 days, 2 hours, 3 minutes, 4 seconds",
                  at: Self.start)
        #expect(sys.figures.node == "emqx@10.0.0.1")
        #expect(sys.figures.connections == 12 && sys.figures.retained == 3 && sys.figures.dropped == 9)
        #expect(sys.figures.uptimeSeconds == 86_400 + 7_200 + 180 + 4)
        let event = sys.apply(topic: "$SYS/brokers/emqx@10.0.0.1/clients/dev-1/connected", payload: "{}", at: Self.start)
        #expect(!event)
    }
}
