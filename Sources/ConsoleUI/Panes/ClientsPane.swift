import Foundation
import Monitor

/// Pane 1: who is connected, where, since when; in embedded mode also the broker's live per-client figures.
enum ClientsPane {
    static func columns(embedded: Bool) -> [TableColumn] {
        var columns = [
            TableColumn(UIStrings.columnClientID, .flex(min: 10, preferred: 16, weight: 3)),
            TableColumn(UIStrings.columnState, .fixed(9)),
            TableColumn(UIStrings.columnNode, .flex(min: 6, preferred: 12, weight: 2)),
            TableColumn(UIStrings.columnSince, .fixed(8), alignment: .right),
        ]
        if embedded {
            columns += [
                TableColumn(UIStrings.columnAddress, .fixed(21), optional: true),
                TableColumn(UIStrings.columnProtocol, .fixed(5), optional: true),
                TableColumn(UIStrings.columnKeepAlive, .fixed(9), alignment: .right, optional: true),
                TableColumn(UIStrings.columnInflight, .fixed(8), alignment: .right, optional: true),
                TableColumn(UIStrings.columnQueued, .fixed(6), alignment: .right, optional: true),
            ]
        }
        return columns
    }

    static func row(_ client: ClientRow, now: Date, embedded: Bool) -> TableRow {
        var cells = [
            TableCell(client.clientID),
            TableCell(UIStrings.presence(client.presence), role: client.online ? .ok : .muted),
            TableCell(client.node ?? ""),
            TableCell(Formatting.relative(since: client.since, now: now) ?? ""),
        ]
        if embedded {
            cells += [
                TableCell(client.address ?? ""),
                TableCell(client.protocolVersion ?? ""),
                TableCell(client.keepAlive.map { UIStrings.seconds($0) } ?? ""),
                TableCell(client.inflight.map(String.init) ?? ""),
                TableCell(client.queued.map(String.init) ?? ""),
            ]
        }
        return TableRow(id: client.clientID, cells: cells)
    }
}
