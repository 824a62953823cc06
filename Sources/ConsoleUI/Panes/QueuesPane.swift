import Foundation
import Monitor

/// Pane 4: stored messages per topic (`mqtt:msg:<topic>`) and how far behind each subscriber is.
enum QueuesPane {
    static let columns = [
        TableColumn(UIStrings.columnTopic, .flex(min: 10, preferred: 16, weight: 2)),
        TableColumn(UIStrings.columnDepth, .fixed(5), alignment: .right),
        TableColumn(UIStrings.columnOldest, .fixed(6), alignment: .right),
        TableColumn(UIStrings.columnBacklog, .flex(min: 10, preferred: 16, weight: 3)),
    ]

    static func row(_ queue: QueueRow, now: Date) -> TableRow {
        TableRow(id: queue.topic,
                 cells: [TableCell(queue.topic), TableCell(String(queue.depth)),
                         TableCell(Formatting.age(since: queue.oldest, now: now) ?? ""),
                         TableCell(queue.backlog.map { UIStrings.backlogEntry(clientID: $0.clientID, pending: $0.pending) }
                             .joined(separator: ", "))])
    }
}
