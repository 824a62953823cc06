import Foundation
import Monitor

/// The detail of a topic in pane 5: its figures, then its tail newest first, each message with its flags,
/// sender, size, MQTT 5 properties, payload (text, JSON or hex) and what changed from the one before.
enum TopicDetailContent {
    /// Payload lines shown per message; the rest are counted.
    static let payloadLinesPerMessage = 8

    static func lines(_ topic: String, traffic: TrafficTable, view: DetailState.PayloadView, now: Date,
                      timeZone: TimeZone, width: Int) -> [[Span]] {
        guard let stats = traffic.topics[topic] else {
            return [DetailContent.field(UIStrings.labelTopic, topic), [Span(UIStrings.detailGone, .warn)]]
        }
        var lines = [
            DetailContent.field(UIStrings.labelTopic, topic),
            DetailContent.field(UIStrings.labelMessages,
                                String(stats.messages) + UIStrings.separator + UIStrings.rate(Formatting.compact(stats.rate))),
            DetailContent.field(UIStrings.labelBytes, Formatting.bytes(stats.bytes)),
            DetailContent.field(UIStrings.labelLastSeen, UIStrings.ago(TopicsPane.age(stats.lastSeen, now: now))),
            [],
            DetailContent.section(UIStrings.sectionTail(stats.tail.count)),
        ]
        let tail = Array(stats.tail)
        for index in tail.indices.reversed() {
            let message = tail[index]
            lines.append(heading(message, previous: index > 0 ? tail[index - 1] : nil, timeZone: timeZone))
            for property in message.properties {
                lines.append([Span("  " + property.name + ": ", .muted), Span(Escaping.controls(property.value))])
            }
            let (note, payload) = DetailContent.payload(message.payload, view: view, width: max(8, width - 2))
            if let note { lines.append([Span("  ")] + note) }
            if message.payload.isEmpty { lines.append([Span("  " + UIStrings.emptyPayload, .muted)]) }
            for line in payload.prefix(payloadLinesPerMessage) { lines.append([Span("  " + line)]) }
            if payload.count > payloadLinesPerMessage {
                lines.append([Span("  " + UIStrings.moreLines(payload.count - payloadLinesPerMessage), .muted)])
            }
            if message.size > message.payload.count {
                lines.append([Span("  " + UIStrings.payloadCut(kept: message.payload.count, of: message.size), .muted)])
            }
        }
        if stats.messages > tail.count {
            lines += [[], [Span(UIStrings.olderNotKept(stats.messages - tail.count), .muted)]]
        }
        return lines
    }

    /// `14:02:03.120  qos 1  retain  from dev-1  12 B  changed: t`.
    static func heading(_ message: TailMessage, previous: TailMessage?, timeZone: TimeZone) -> [Span] {
        var text = clock(message.time, timeZone: timeZone) + "  " + UIStrings.qos(message.qos)
        if message.retain { text += "  " + UIStrings.retainFlag }
        if let sender = message.sender { text += "  " + UIStrings.from(Escaping.controls(sender)) }
        text += "  " + Formatting.bytes(message.size)
        return [Span(text, .columnHeader), Span("  " + change(message, from: previous), .muted)]
    }

    static func clock(_ date: Date, timeZone: TimeZone) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let padded = String(repeating: "0", count: millis < 10 ? 2 : millis < 100 ? 1 : 0) + String(millis)
        return Formatting.clock(date, timeZone: timeZone) + "." + padded
    }

    /// What differs from the message before it: nothing, the JSON members that changed, or the size.
    static func change(_ message: TailMessage, from previous: TailMessage?) -> String {
        guard let previous else { return UIStrings.changeFirst }
        if message.payload == previous.payload { return UIStrings.changeNone }
        if let now = jsonObject(message.payload), let before = jsonObject(previous.payload) {
            let keys = Set(now.keys).union(before.keys).sorted().filter { key in
                guard let a = now[key], let b = before[key] else { return true }
                return (a as? NSObject).map { !$0.isEqual(b) } ?? true
            }
            if !keys.isEmpty { return UIStrings.changedFields(keys) }
        }
        return UIStrings.changedSize(from: previous.size, to: message.size)
    }

    private static func jsonObject(_ data: Data) -> [String: Any]? {
        guard data.first == UInt8(ascii: "{") else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
