/// The footer: ` ? help  Tab pane  / filter …`, keys in `key_hint`, labels in `muted`.
///
/// When the hints do not fit, whole hints are dropped, highest `priority` number first, so the bar never
/// shows half a word; a right-aligned note (`read-only`) is kept whenever it fits.
public struct KeyHintBar: Sendable {
    public var hints: [KeyHint]
    public var note: Span?

    public init(hints: [KeyHint], note: Span? = nil) {
        self.hints = hints
        self.note = note
    }

    public func draw(into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        buffer.fillRow(rect.row, in: rect, style: Style(.text))
        let noteWidth = note.map { $0.width + 1 } ?? 0
        var room = rect.width - noteWidth
        if room < 0 { room = rect.width }
        var shown = hints
        for _ in 0..<hints.count where KeyHintBar.width(of: shown) > room {
            guard let drop = shown.indices.max(by: { shown[$0].priority < shown[$1].priority }) else { break }
            shown.remove(at: drop)
        }
        buffer.putLine(KeyHintBar.spans(shown), row: rect.row, in: rect)
        if let note, noteWidth <= rect.width - KeyHintBar.width(of: shown) {
            buffer.put(note.text, row: rect.row, column: rect.right - note.width - 1, style: note.style, clip: rect.columns)
        }
    }

    static func spans(_ hints: [KeyHint]) -> [Span] {
        var spans: [Span] = []
        for hint in hints {
            spans.append(Span(" ", .text))
            spans.append(Span(hint.key, .keyHint))
            spans.append(Span(" " + hint.label + " ", .muted))
        }
        return spans
    }

    static func width(of hints: [KeyHint]) -> Int { spans(hints).width }
}
