/// The subscribe form as a centred box: one labelled field per row, the focused field highlighted with the
/// terminal cursor in it, then the error (if any) and the key hint.
enum FormView {
    static let labelWidth = 11

    static func draw(_ form: SubscribeForm, into buffer: inout ScreenBuffer, area: Rect) {
        let width = min(max(60, CharWidth.of(UIStrings.formHint) + 4), area.width)
        let rect = area.centered(width: width, height: 9)
        let inner = BorderedPane(title: UIStrings.formTitle, focused: true).draw(into: &buffer, rect: rect)
        guard inner.height >= 7, inner.width > labelWidth + 4 else { return }
        let fieldWidth = inner.width - labelWidth - 3
        for field in SubscribeForm.Field.allCases {
            let row = inner.row + 1 + field.rawValue
            let focused = field == form.focus
            buffer.putLine([Span(" " + TextFit.fit(UIStrings.formLabel(field), to: labelWidth), focused ? .title : .muted)],
                           row: row, in: inner)
            let fieldRect = Rect(row: row, column: inner.column + 1 + labelWidth, width: fieldWidth, height: 1)
            let window = form[field].window(width: fieldWidth)
            buffer.putLine([Span(window.text, Style(focused ? .selection : .text, attributes: .underline))], row: row, in: fieldRect,
                           fill: Style(focused ? .selection : .text, attributes: .underline))
            if focused {
                let column = fieldRect.column + min(window.cursorColumn, fieldWidth - 1)
                buffer.restyle(Rect(row: row, column: column, width: 1, height: 1)) { $0.with(.reverse) }
                buffer.cursor = (row, column)
            }
        }
        if let error = form.error {
            buffer.putLine([Span(" " + error, .error)], row: inner.row + 5, in: inner)
        }
        buffer.putLine([Span(" " + UIStrings.formHint, .muted)], row: inner.row + 6, in: inner)
    }
}
