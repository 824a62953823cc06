import Foundation
import Monitor

/// Pane 5: every topic seen since start, from the broker's tap (embedded) or the `--mqtt` subscription
/// (attach), as a flat list or a tree of levels.
enum TopicsPane {
    static let columns = [
        TableColumn(UIStrings.columnTopic, .flex(min: 12, preferred: 24, weight: 3)),
        TableColumn(UIStrings.columnMessages, .fixed(6), alignment: .right),
        TableColumn(UIStrings.columnRate, .fixed(6), alignment: .right),
        TableColumn(UIStrings.columnBytes, .fixed(7), alignment: .right),
        TableColumn(UIStrings.columnLast, .fixed(4), alignment: .right),
        TableColumn(UIStrings.columnQoS, .fixed(3), alignment: .right),
        TableColumn(UIStrings.columnRetainFlag, .fixed(1)),
        TableColumn(UIStrings.columnPayload, .flex(min: 8, preferred: 16, weight: 2)),
    ]

    static func row(_ topic: TopicRow, now: Date) -> TableRow {
        TableRow(id: topic.topic, cells: [TableCell(topic.topic)] + figures(topic, now: now))
    }

    static func row(_ node: TopicTreeRow, now: Date) -> TableRow {
        let marker = node.hasChildren ? (node.expanded ? "▾ " : "▸ ") : "  "
        let label = String(repeating: "  ", count: node.depth) + marker + node.name
        guard let topic = node.topic, !node.hasChildren else {
            return TableRow(id: node.path, cells: [
                TableCell(label), TableCell(String(node.messages)), TableCell(rate(node.rate)),
                TableCell(Formatting.bytes(node.bytes)), TableCell(age(node.lastSeen, now: now)),
                TableCell(""), TableCell(""), TableCell(""),
            ])
        }
        return TableRow(id: node.path, cells: [TableCell(label)] + figures(topic, now: now))
    }

    private static func figures(_ topic: TopicRow, now: Date) -> [TableCell] {
        [TableCell(String(topic.messages)), TableCell(rate(topic.rate), role: topic.rate > 0 ? .ok : .muted),
         TableCell(Formatting.bytes(topic.bytes)), TableCell(age(topic.lastSeen, now: now)),
         TableCell(String(topic.lastQoS)), TableCell(topic.lastRetain ? "R" : ""),
         TableCell(Escaping.payload(topic.preview), role: .muted)]
    }

    /// `0`, `0.3/s`, `12/s`, `1.4k/s`.
    static func rate(_ value: Double) -> String {
        guard value > 0 else { return "0" }
        if value < 9.95 { return String(format: "%.1f/s", value) }
        return Formatting.compact(value) + "/s"
    }

    static func age(_ date: Date, now: Date) -> String {
        Formatting.age(milliseconds: Int64((now.timeIntervalSince(date) * 1000).rounded()))
    }
}
