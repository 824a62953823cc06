/// The `?` overlay: every key and what it does, centred over the panes.
enum HelpOverlay {
    static func draw(into buffer: inout ScreenBuffer, area: Rect) {
        let lines = KeyMap.helpLines
        let keyWidth = lines.map { CharWidth.of($0.key) }.max() ?? 0
        let textWidth = lines.map { CharWidth.of($0.text) }.max() ?? 0
        let width = max(keyWidth + textWidth + 7, CharWidth.of(UIStrings.helpFooter) + 4)
        let rect = area.centered(width: width, height: lines.count + 4)
        let inner = BorderedPane(title: UIStrings.helpTitle, focused: true).draw(into: &buffer, rect: rect)
        guard inner.height > 0 else { return }
        for (index, line) in lines.enumerated() where index < inner.height {
            buffer.putLine([Span(" " + TextFit.fit(line.key, to: keyWidth) + "  ", .keyHint), Span(line.text)],
                           row: inner.row + index, in: inner)
        }
        if inner.height >= lines.count + 2 {
            buffer.putLine([Span(" " + UIStrings.helpFooter, .muted)], row: inner.bottom - 1, in: inner)
        }
    }
}
