/// A box with a title in its top border, like `┌ 1 Clients  online 2 / total 3 ───┐`.
///
/// The focused pane's title uses `title_focused`, which every theme (and the monochrome mapping) makes
/// distinct, so focus is visible without colour. An optional label sits in the bottom border on the right
/// (`3/120`), where k9s and htop show position.
public struct BorderedPane: Sendable {
    public var title: [Span]
    public var focused: Bool
    public var bottomLabel: String?

    public init(title: [Span], focused: Bool = false, bottomLabel: String? = nil) {
        self.title = title
        self.focused = focused
        self.bottomLabel = bottomLabel
    }

    public init(title: String, focused: Bool = false, bottomLabel: String? = nil) {
        self.init(title: [Span(title, focused ? .titleFocused : .title)], focused: focused, bottomLabel: bottomLabel)
    }

    /// Draws the border and title, blanks the inside, and returns the inside.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, rect: Rect) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else {
            buffer.fill(rect, style: .border)
            return Rect(row: rect.row, column: rect.column, width: 0, height: 0)
        }
        let border = Style.border
        let inner = rect.inset(1)
        buffer.fill(inner, style: Style(.text))
        let horizontal = String(repeating: "─", count: rect.width - 2)
        buffer.put("┌" + horizontal + "┐", row: rect.row, column: rect.column, style: border, clip: rect.columns)
        buffer.put("└" + horizontal + "┘", row: rect.bottom - 1, column: rect.column, style: border, clip: rect.columns)
        for row in inner.row..<inner.bottom {
            buffer.put("│", row: row, column: rect.column, style: border)
            buffer.put("│", row: row, column: rect.right - 1, style: border)
        }
        // Title: one space either side, inside the corners, truncated with `…` when the pane is narrow.
        let titleRoom = rect.width - 4
        if titleRoom > 0, !title.isEmpty {
            let shown = min(title.width, titleRoom)
            let spans = title.map { Span($0.text, focused ? Style(.titleFocused, attributes: $0.style.attributes) : $0.style) }
            buffer.put(" ", row: rect.row, column: rect.column + 1, style: titleStyle)
            buffer.putLine(spans, row: rect.row, in: Rect(row: rect.row, column: rect.column + 2, width: shown, height: 1),
                           fill: titleStyle)
            buffer.put(" ", row: rect.row, column: rect.column + 2 + shown, style: titleStyle)
        }
        if let bottomLabel, !bottomLabel.isEmpty {
            let label = " " + bottomLabel + " "
            let w = CharWidth.of(label)
            if w <= rect.width - 4 {
                buffer.put(label, row: rect.bottom - 1, column: rect.right - 2 - w, style: Style(.muted))
            }
        }
        return inner
    }

    private var titleStyle: Style { Style(focused ? .titleFocused : .title) }
}
