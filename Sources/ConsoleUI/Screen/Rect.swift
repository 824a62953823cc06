/// A rectangle of cells, in rows and columns from the top-left of the screen.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// One past the last row.
    public var bottom: Int { row + height }
    /// One past the last column.
    public var right: Int { column + width }
    public var columns: Range<Int> { column..<right }

    /// The rectangle shrunk by `by` cells on every side (the inside of a border).
    public func inset(_ by: Int) -> Rect {
        Rect(row: row + by, column: column + by, width: width - 2 * by, height: height - 2 * by)
    }

    /// A rectangle of `width`x`height` centred in this one, no larger than it.
    public func centered(width: Int, height: Int) -> Rect {
        let w = min(width, self.width)
        let h = min(height, self.height)
        return Rect(row: row + (self.height - h) / 2, column: column + (self.width - w) / 2, width: w, height: h)
    }

    public var description: String { "(\(row),\(column) \(width)x\(height))" }
}

/// The terminal size in cells.
public struct TerminalSize: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }
}
