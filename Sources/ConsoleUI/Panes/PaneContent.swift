import Foundation
import Monitor

/// What one pane shows, built from a snapshot: its title, columns and rows (unfiltered).
public struct PaneContent: Sendable {
    public var pane: PaneKind
    /// Title text after the pane number, e.g. `Clients  online 2 / total 3`.
    public var title: String
    public var columns: [TableColumn]
    public var rows: [PaneRow]
    public var emptyText: String

    /// Builds the content for `pane`. `embedded` adds the broker-only client columns.
    public static func make(_ pane: PaneKind, snapshot: DashboardSnapshot, now: Date) -> PaneContent {
        let embedded = snapshot.header.mode != .attach
        switch pane {
        case .clients: return ClientsPane.content(snapshot.clients, now: now, embedded: embedded)
        case .subscriptions: return SubscriptionsPane.content(snapshot.subscriptions)
        case .retained: return RetainedPane.content(snapshot.retained, now: now)
        case .queues: return QueuesPane.content(snapshot.queues, now: now)
        }
    }

    /// The rows that pass `filter`.
    public func rows(matching filter: RowFilter) -> [PaneRow] {
        filter.isEmpty ? rows : rows.filter { filter.matches(topic: $0.topic, haystack: $0.searchText) }
    }
}

/// A table row plus what the `/` filter looks at.
public struct PaneRow: Sendable, Hashable {
    public var row: TableRow
    /// Text the substring filter searches (the row's visible texts, newline-separated).
    public var searchText: String
    /// The topic or topic filter that an MQTT wildcard filter is matched against.
    public var topic: String?

    public var id: String { row.id }

    public init(id: String, cells: [TableCell], topic: String? = nil) {
        row = TableRow(id: id, cells: cells)
        searchText = cells.map(\.text).joined(separator: "\n")
        self.topic = topic
    }
}
