/// A scrolling table with a heading row, a one-column selection gutter (`▌`) and a highlighted selected
/// row, drawn inside a pane.
public struct Table: Sendable {
    public static let selectionBar = "▌"

    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var selected: Int?
    /// Index of the first visible row; use `Table.scrollOffset` to keep the selection visible.
    public var offset: Int
    public var focused: Bool
    /// Shown (muted) when there are no rows.
    public var emptyText: String

    public init(columns: [TableColumn], rows: [TableRow], selected: Int?, offset: Int, focused: Bool,
                emptyText: String) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.offset = offset
        self.focused = focused
        self.emptyText = emptyText
    }

    /// Rows of data that fit under the heading in a rectangle of `height` rows.
    public static func visibleRows(height: Int) -> Int { max(0, height - 1) }

    /// The smallest change to `offset` that keeps `selected` inside a window of `visible` rows, clamped so
    /// the window never runs past the end of the data.
    public static func scrollOffset(selected: Int?, offset: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > 0 else { return 0 }
        var result = offset
        if let selected {
            if selected < result { result = selected }
            if selected >= result + visible { result = selected - visible + 1 }
        }
        return min(max(0, result), max(0, count - visible))
    }

    public func draw(into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        buffer.fill(rect, style: Style(.text))
        let layout = TableColumn.layout(columns, available: rect.width - 1)
        var heading: [Span] = [Span(" ", .columnHeader)]
        for (position, slot) in layout.enumerated() {
            if position > 0 { heading.append(Span(" ", .columnHeader)) }
            let column = columns[slot.index]
            heading.append(Span(TextFit.fit(column.title, to: slot.width, alignment: column.alignment), .columnHeader))
        }
        buffer.putLine(heading, row: rect.row, in: rect, fill: Style(.columnHeader))

        let visible = Table.visibleRows(height: rect.height)
        if rows.isEmpty {
            if visible > 0 {
                buffer.putLine([Span(" " + emptyText, .muted)], row: rect.row + 1, in: rect)
            }
            return
        }
        for line in 0..<visible {
            let index = offset + line
            guard index >= 0, index < rows.count else { break }
            drawRow(rows[index], isSelected: index == selected, layout: layout, row: rect.row + 1 + line,
                    into: &buffer, rect: rect)
        }
    }

    private func drawRow(_ row: TableRow, isSelected: Bool, layout: [(index: Int, width: Int)], row y: Int,
                         into buffer: inout ScreenBuffer, rect: Rect) {
        let highlight = isSelected && focused
        let rowStyle = highlight ? Style(.selection) : Style(.text)
        var spans: [Span] = [isSelected ? Span(Table.selectionBar, highlight ? .selection : .muted) : Span(" ", rowStyle)]
        for (position, slot) in layout.enumerated() {
            if position > 0 { spans.append(Span(" ", rowStyle)) }
            let cell = slot.index < row.cells.count ? row.cells[slot.index] : TableCell("")
            let text = TextFit.fit(Escaping.controls(cell.text), to: slot.width, alignment: columns[slot.index].alignment)
            spans.append(Span(text, highlight ? rowStyle : Style(cell.role ?? .text)))
        }
        buffer.putLine(spans, row: y, in: rect, fill: rowStyle)
    }
}
