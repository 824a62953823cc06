/// A piece of text with one style; a line of mixed styles is an array of spans.
public struct Span: Sendable, Hashable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = Style(.text)) {
        self.text = text
        self.style = style
    }

    public init(_ text: String, _ role: Role) {
        self.init(text, Style(role))
    }

    public var width: Int { CharWidth.of(text) }
}

extension Array where Element == Span {
    /// Total columns of the line.
    public var width: Int { reduce(0) { $0 + $1.width } }
    /// The line without styles.
    public var plainText: String { map(\.text).joined() }
}

extension ScreenBuffer {
    /// Writes styled spans one after another and returns the column after the last.
    @discardableResult
    public mutating func put(_ spans: [Span], row: Int, column: Int, clip: Range<Int>? = nil) -> Int {
        var x = column
        for span in spans { x = put(span.text, row: row, column: x, style: span.style, clip: clip) }
        return x
    }

    /// Writes spans into `rect`'s row, truncating with `…` when they do not fit and filling the rest of the
    /// row with `fill`'s style.
    public mutating func putLine(_ spans: [Span], row: Int, in rect: Rect, fill: Style = Style(.text)) {
        fillRow(row, in: rect, style: fill)
        guard spans.width > rect.width else {
            put(spans, row: row, column: rect.column, clip: rect.columns)
            return
        }
        var x = rect.column
        var remaining = rect.width
        for span in spans {
            let w = span.width
            if w < remaining {
                x = put(span.text, row: row, column: x, style: span.style, clip: rect.columns)
                remaining -= w
                continue
            }
            // This span reaches the edge and something after it is lost: say so with `…`.
            put(TextFit.truncate(span.text, to: remaining, always: true), row: row, column: x, style: span.style,
                clip: rect.columns)
            break
        }
    }

    /// Blanks one row of a rectangle.
    public mutating func fillRow(_ row: Int, in rect: Rect, style: Style) {
        fill(Rect(row: row, column: rect.column, width: rect.width, height: 1), style: style)
    }
}
