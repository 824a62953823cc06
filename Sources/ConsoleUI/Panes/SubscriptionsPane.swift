import Monitor

/// Pane 2: every (client, filter) pair, with where it is known from (stored in `mqtt:sub`, live, both).
enum SubscriptionsPane {
    static let columns = [
        TableColumn(UIStrings.columnClientID, .flex(min: 12, preferred: 16, weight: 2)),
        TableColumn(UIStrings.columnFilter, .flex(min: 12, preferred: 20, weight: 3)),
        TableColumn(UIStrings.columnQoS, .fixed(3), alignment: .right),
        TableColumn(UIStrings.columnSource, .fixed(6)),
    ]

    /// Identity of a subscription row: client and filter, separated by a character neither contains.
    static func id(clientID: String, filter: String) -> String { clientID + "\u{1F}" + filter }

    static func row(_ sub: SubscriptionRow) -> TableRow {
        TableRow(id: id(clientID: sub.clientID, filter: sub.filter),
                 cells: [TableCell(sub.clientID), TableCell(sub.filter), TableCell(String(sub.qos)),
                         TableCell(UIStrings.source(sub.source), role: sub.source == .live ? .muted : nil)])
    }
}
