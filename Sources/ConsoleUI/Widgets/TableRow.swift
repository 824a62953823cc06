/// One cell of a table row: its text and, optionally, a role other than `text` (`● online` is `ok`).
public struct TableCell: Sendable, Hashable {
    public var text: String
    public var role: Role?

    public init(_ text: String, role: Role? = nil) {
        self.text = text
        self.role = role
    }
}

/// One row of a table with the identity that selection follows across snapshot updates.
public struct TableRow: Sendable, Hashable {
    public var id: String
    public var cells: [TableCell]

    public init(id: String, cells: [TableCell]) {
        self.id = id
        self.cells = cells
    }
}
