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
