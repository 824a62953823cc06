/// The pending-write prompt: the exact commands, wrapped over as many bottom rows as they need, in `warn`
/// so it cannot be mistaken for the normal footer.
enum ConfirmLine {
    /// The wrapped lines for a screen `width` columns wide (one column margin each side).
    static func lines(_ confirmation: Confirmation, width: Int) -> [String] {
        TextFit.softWrap(confirmation.text, to: max(1, width - 2))
    }

    static func draw(_ confirmation: Confirmation, into buffer: inout ScreenBuffer, bottom: Rect) {
        let wrapped = lines(confirmation, width: bottom.width)
        let rows = min(wrapped.count, max(1, bottom.row))
        for (index, line) in wrapped.suffix(rows).enumerated() {
            let row = bottom.bottom - rows + index
            let rect = Rect(row: row, column: bottom.column, width: bottom.width, height: 1)
            buffer.putLine([Span(" " + line, Style(.warn, attributes: .bold))], row: row, in: rect, fill: Style(.warn))
        }
    }
}
