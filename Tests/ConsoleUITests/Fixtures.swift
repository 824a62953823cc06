import ConsoleUI
import Foundation
import Monitor

/// One fixed snapshot for every rendering test: the design sketch's data plus the awkward cases (a CJK
/// client id, an offline client, a topic too long for its column, a payload with control characters).
enum Fixtures {
    /// 2023-11-14 22:13:20 UTC.
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let nowMs: Int64 = 1_700_000_000_000
    static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
    static let longTopic = "building/north-wing/floor-3/room-301/sensors/temperature/celsius"

    static func ago(seconds: Int64) -> Int64 { nowMs - seconds * 1000 }

    static var header: HeaderInfo {
        var header = HeaderInfo()
        header.mode = .embedded
        header.redisEndpoint = "unix:…/redis.sock"
        header.redisState = .connected(role: "master")
        header.redisMemory = "1.2 MB"
        header.listeners = ["mqtt://127.0.0.1:1883"]
        header.backendBuffer = 0
        header.messageRates = [100, 300, 800, 1200, 1000, 500, 1400]
        return header
    }

    static var snapshot: DashboardSnapshot {
        DashboardSnapshot(
            header: header,
            clients: [
                ClientRow(clientID: "cli-alpha", online: true, node: "mqtop@devbox", since: ago(seconds: 720),
                          address: "127.0.0.1:50410", protocolVersion: "5.0", keepAlive: 60, inflight: 2, queued: 0),
                ClientRow(clientID: "设备-01", online: true, node: "mqtop@devbox", since: ago(seconds: 3),
                          address: "127.0.0.1:50412", protocolVersion: "5.0", keepAlive: 30, inflight: 0, queued: 0),
                ClientRow(clientID: "cli-gamma", online: false, node: nil, since: ago(seconds: 60)),
            ],
            subscriptions: [
                SubscriptionRow(clientID: "cli-alpha", filter: "sensor/+/temp", qos: 1, source: .stored),
                SubscriptionRow(clientID: "cli-alpha", filter: "alerts/#", qos: 2, source: .live),
                SubscriptionRow(clientID: "cli-gamma", filter: "queue/jobs", qos: 1, source: .stored),
                SubscriptionRow(clientID: "设备-01", filter: "sensor/kitchen/temp", qos: 0, source: .both),
                SubscriptionRow(clientID: "cli-alpha", filter: longTopic, qos: 1, source: .stored),
            ],
            retained: [
                RetainedRow(topic: "rt/kitchen", qos: 1, from: "cli-alpha", timestamp: ago(seconds: 120),
                            payload: Data("21.5°C".utf8), messageID: "0005F8A1"),
                RetainedRow(topic: "rt/garage", qos: 1, from: "cli-gamma", timestamp: ago(seconds: 540),
                            payload: Data("open".utf8), messageID: "0005F8A2"),
                RetainedRow(topic: "sensor/kitchen/temp", qos: 0, from: "设备-01", timestamp: ago(seconds: 5),
                            payload: Data(#"{"t":21.5,"unit":"C","tags":["a","b"],"meta":{}}"#.utf8), messageID: "0005F8A3"),
                RetainedRow(topic: longTopic, qos: 1, from: "cli-alpha", timestamp: ago(seconds: 7200),
                            payload: Data("line1\nline2\u{1B}[31m".utf8), messageID: ""),
            ],
            queues: [
                QueueRow(topic: "queue/jobs", depth: 5, oldest: ago(seconds: 40),
                         backlog: [.init(clientID: "cli-gamma", pending: 5)]),
            ],
            events: [
                EventRow(time: Date(timeIntervalSince1970: 1_699_999_931), kind: .connect,
                         text: "设备-01 from 127.0.0.1:50412 (v5)"),
                EventRow(time: Date(timeIntervalSince1970: 1_699_999_929), kind: .subscribe,
                         text: "via mqtt_channel: cli-alpha alerts/# qos 2"),
            ])
    }

    static func state(width: Int = 120, height: Int = 40, readOnly: Bool = false,
                      snapshot: DashboardSnapshot = Fixtures.snapshot) -> DashboardState {
        DashboardState(configuration: DashboardConfiguration(readOnly: readOnly, timeZone: utc), snapshot: snapshot,
                       size: TerminalSize(width: width, height: height), now: now)
    }
}

extension DashboardState {
    /// Applies keys in order and collects every action.
    mutating func press(_ keys: Key...) -> [Action] {
        keys.flatMap { handle($0) }
    }

    /// Types text as individual character keys.
    mutating func type(_ text: String) {
        for character in text { _ = handle(.char(character)) }
    }
}
