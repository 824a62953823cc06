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

    static func content(_ queues: [QueueRow], now: Date) -> PaneContent {
        let rows = queues.map { queue in
            PaneRow(id: queue.topic,
                    cells: [TableCell(queue.topic), TableCell(String(queue.depth)),
                            TableCell(Formatting.age(since: queue.oldest, now: now) ?? ""),
                            TableCell(queue.backlog.map { UIStrings.backlogEntry(clientID: $0.clientID, pending: $0.pending) }
                                .joined(separator: ", "))],
                    topic: queue.topic)
        }
        let messages = queues.reduce(0) { $0 + $1.depth }
        return PaneContent(pane: .queues, title: UIStrings.paneName(.queues) + "  "
                               + UIStrings.queueCounts(topics: queues.count, messages: messages),
                           columns: columns, rows: rows, emptyText: UIStrings.emptyQueues)
    }
}
