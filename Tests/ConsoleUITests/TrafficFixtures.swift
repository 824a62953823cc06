import ConsoleUI
import Foundation
import Monitor

/// Fixed traffic for the Topics pane tests: a few topics at known times before `Fixtures.now`.
enum TrafficFixtures {
    static func at(_ secondsAgo: Double) -> Date { Fixtures.now.addingTimeInterval(-secondsAgo) }

    static func sample(_ topic: String, _ payload: String, qos: Int = 0, retain: Bool = false, sender: String? = nil,
                       secondsAgo: Double, properties: [TrafficSample.Property] = []) -> TrafficSample {
        TrafficSample(topic: topic, payload: Data(payload.utf8), qos: qos, retain: retain, sender: sender,
                      time: at(secondsAgo), properties: properties)
    }

    static var batch: TrafficBatch {
        var samples: [TrafficSample] = []
        for i in 0..<20 {
            samples.append(sample("demo/hello", "msg \(i + 1)", sender: "pub-\(i)", secondsAgo: Double(20 - i) / 10))
        }
        samples.append(sample("home/kitchen/temp", #"{"t":21.5,"unit":"C"}"#, qos: 1, sender: "dev-1", secondsAgo: 30))
        samples.append(sample("home/kitchen/temp", #"{"t":21.7,"unit":"C"}"#, qos: 1, retain: true, sender: "dev-1",
                              secondsAgo: 3, properties: [.init("content type", "application/json"),
                                                          .init("user site", "north")]))
        samples.append(sample("home/garage/door", "open", qos: 2, sender: "dev-2", secondsAgo: 65))
        var shed = ShedCount()
        for _ in 0..<5 { shed.add(size: 4, qos: 0, retain: false, time: at(1)) }
        return TrafficBatch(samples: samples, shed: ["home/kitchen/light": shed])
    }

    /// Four more to demo/hello in the last second: the only topic with a rate at `Fixtures.now`.
    static var recent: TrafficBatch {
        TrafficBatch(samples: (21...24).map {
            sample("demo/hello", "msg \($0)", sender: "pub-\($0)", secondsAgo: Double(25 - $0) / 5)
        })
    }

    /// The fixture state with the history ingested (rates baselined a second before `Fixtures.now`), then
    /// the last second's messages, refreshed at `Fixtures.now`.
    static func state(width: Int = 120, height: Int = 40, readOnly: Bool = false,
                      configuration: DashboardConfiguration? = nil) -> DashboardState {
        var state = configuration.map {
            DashboardState(configuration: $0, snapshot: Fixtures.snapshot, size: TerminalSize(width: width, height: height),
                           now: Fixtures.now)
        } ?? Fixtures.state(width: width, height: height, readOnly: readOnly)
        state.ingestTraffic(batch)
        state.refreshTraffic(now: at(1))
        state.ingestTraffic(recent)
        state.refreshTraffic(now: Fixtures.now)
        return state
    }
}
