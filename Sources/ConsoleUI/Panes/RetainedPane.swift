import Foundation
import Monitor

/// Pane 3: retained messages (`mqtt:retain:<topic>`), with a one-line payload preview.
enum RetainedPane {
    static let columns = [
        TableColumn(UIStrings.columnTopic, .flex(min: 10, preferred: 16, weight: 3)),
        TableColumn(UIStrings.columnQoS, .fixed(3), alignment: .right),
        TableColumn(UIStrings.columnFrom, .flex(min: 6, preferred: 10, weight: 1)),
        TableColumn(UIStrings.columnAge, .fixed(4), alignment: .right),
        TableColumn(UIStrings.columnPayload, .flex(min: 8, preferred: 12, weight: 3)),
    ]

    /// At most this many payload bytes are decoded for a preview; the rest cannot be seen in a cell anyway.
    static let previewBytes = 512

    static func row(_ message: RetainedRow, now: Date) -> TableRow {
        TableRow(id: message.topic,
                 cells: [TableCell(message.topic), TableCell(String(message.qos)), TableCell(message.from),
                         TableCell(Formatting.age(since: message.timestamp, now: now) ?? ""),
                         TableCell(Escaping.payload(message.payload.prefix(previewBytes)), role: .muted)])
    }
}
