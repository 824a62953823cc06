/// The detail overlay: a bordered page over the panes, scrolled line by line.
struct DetailView {
    var page: DetailContent.Page
    var scroll: Int

    /// Text columns available inside the border and a one-column margin on each side.
    static func contentWidth(for rect: Rect) -> Int { max(1, rect.width - 4) }
    static func contentHeight(for rect: Rect) -> Int { max(0, rect.height - 2) }

    func draw(into buffer: inout ScreenBuffer, rect: Rect) {
        let height = DetailView.contentHeight(for: rect)
        let maxScroll = max(0, page.lines.count - height)
        let top = min(max(0, scroll), maxScroll)
        let label = page.lines.count > height ? "\(top + 1)-\(min(top + height, page.lines.count))/\(page.lines.count)" : nil
        let inner = BorderedPane(title: page.title, focused: true, bottomLabel: label).draw(into: &buffer, rect: rect)
        guard inner.width > 2 else { return }
        let text = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        for line in 0..<text.height {
            let index = top + line
            guard index < page.lines.count else { break }
            buffer.putLine(page.lines[index], row: text.row + line, in: text)
        }
    }
}

/// The `?` overlay: every key and what it does, centred over the panes.
enum HelpOverlay {
    static func draw(into buffer: inout ScreenBuffer, area: Rect) {
        let keyWidth = UIStrings.helpLines.map { CharWidth.of($0.key) }.max() ?? 0
        let textWidth = UIStrings.helpLines.map { CharWidth.of($0.text) }.max() ?? 0
        let width = max(keyWidth + textWidth + 7, CharWidth.of(UIStrings.helpFooter) + 4)
        let rect = area.centered(width: width, height: UIStrings.helpLines.count + 4)
        let inner = BorderedPane(title: UIStrings.helpTitle, focused: true).draw(into: &buffer, rect: rect)
        guard inner.height > 0 else { return }
        for (index, line) in UIStrings.helpLines.enumerated() where index < inner.height {
            buffer.putLine([Span(" " + TextFit.fit(line.key, to: keyWidth) + "  ", .keyHint), Span(line.text)],
                           row: inner.row + index, in: inner)
        }
        if inner.height >= UIStrings.helpLines.count + 2 {
            buffer.putLine([Span(" " + UIStrings.helpFooter, .muted)], row: inner.bottom - 1, in: inner)
        }
    }
}

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
