import Foundation

/// Broker figures read from `$SYS/#` in attach mode: Mosquitto's names (`$SYS/broker/…`, which mqtop's own
/// broker also publishes) and EMQX's (`$SYS/brokers/<node>/stats/…` and `…/metrics/…`, with `/` or `.`
/// between words). Message rates come from the change of the received and sent counters between two
/// reports, or from Mosquitto's one-minute load until there are two.
public struct SysFigures: Sendable {
    public private(set) var figures = BrokerFigures()
    /// The last value and arrival time of each counter a rate is derived from.
    private var counters: [Counter: (value: Double, time: Date)] = [:]

    private enum Counter: Hashable { case received, sent }

    public init() {}

    /// Takes one `$SYS` message; false when the topic is not one of the figures.
    @discardableResult
    public mutating func apply(topic: String, payload: String, at time: Date) -> Bool {
        guard let key = Self.key(of: topic) else { return false }
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        let number = Double(text.split(separator: " ").first ?? "")
        switch key {
        case "uptime":
            figures.uptimeSeconds = Self.uptimeSeconds(text)
        case "version" where figures.node == nil:
            figures.node = text
        case "clients/connected", "stats/connections/count":
            figures.connections = number.map { Int($0) }
        case "publish/messages/received", "metrics/messages/received":
            figures.messagesInPerSecond = rate(.received, number, at: time) ?? figures.messagesInPerSecond
        case "publish/messages/sent", "metrics/messages/sent":
            figures.messagesOutPerSecond = rate(.sent, number, at: time) ?? figures.messagesOutPerSecond
        case "load/messages/received/1min":
            if counters[.received] == nil || figures.messagesInPerSecond == nil { figures.messagesInPerSecond = number.map { $0 / 60 } }
        case "load/messages/sent/1min":
            if counters[.sent] == nil || figures.messagesOutPerSecond == nil { figures.messagesOutPerSecond = number.map { $0 / 60 } }
        case "bytes/received", "metrics/bytes/received":
            figures.bytesIn = number.map { Int($0) }
        case "bytes/sent", "metrics/bytes/sent":
            figures.bytesOut = number.map { Int($0) }
        case "subscriptions/count", "stats/subscriptions/count":
            figures.subscriptions = number.map { Int($0) }
        case "retained messages/count", "stats/retained/count":
            figures.retained = number.map { Int($0) }
        case "publish/messages/dropped", "metrics/messages/dropped":
            figures.dropped = number.map { Int($0) }
        default:
            return false
        }
        if topic.hasPrefix("$SYS/brokers/") {
            figures.node = topic.split(separator: "/").dropFirst(2).first.map(String.init)
        }
        return true
    }

    /// The part after `$SYS/broker/` or `$SYS/brokers/<node>/`, with EMQX's dots read as slashes.
    static func key(of topic: String) -> String? {
        if topic.hasPrefix("$SYS/broker/") { return String(topic.dropFirst("$SYS/broker/".count)) }
        let levels = topic.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard levels.count == 4, levels[0] == "$SYS", levels[1] == "brokers" else { return nil }
        return levels[3].replacingOccurrences(of: ".", with: "/")
    }

    /// `754 seconds` (Mosquitto), `754` (seconds), or EMQX 4's `2 days, 3 hours, 5 minutes, 1 seconds`.
    static func uptimeSeconds(_ text: String) -> Int? {
        if let seconds = Int(text) { return seconds }
        var total = 0
        var found = false
        for part in text.split(separator: ",") {
            let words = part.split(separator: " ")
            guard words.count == 2, let value = Int(words[0]) else { continue }
            let unit = words[1].lowercased()
            let scale = unit.hasPrefix("day") ? 86_400 : unit.hasPrefix("hour") ? 3600 : unit.hasPrefix("minute") ? 60
                : unit.hasPrefix("second") ? 1 : 0
            total += value * scale
            found = found || scale > 0
        }
        return found ? total : nil
    }

    private mutating func rate(_ counter: Counter, _ value: Double?, at time: Date) -> Double? {
        guard let value else { return nil }
        defer { counters[counter] = (value, time) }
        guard let last = counters[counter], time > last.time, value >= last.value else { return nil }
        return (value - last.value) / time.timeIntervalSince(last.time)
    }
}
