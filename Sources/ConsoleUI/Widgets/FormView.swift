/// A form (subscribe, publish) as a centred box: one labelled field per row, the focused field highlighted with the
/// terminal cursor in it, then the error (if any) and the key hint.
enum FormView {
    static let labelWidth = 11

    static func draw<Form: EntryForm>(_ form: Form, into buffer: inout ScreenBuffer, area: Rect) {
        let fields = Form.Field.allCases.count
        let width = min(max(60, CharWidth.of(UIStrings.formHint) + 4), area.width)
        let rect = area.centered(width: width, height: fields + 6)
        let inner = BorderedPane(title: Form.title, focused: true).draw(into: &buffer, rect: rect)
        guard inner.height >= fields + 4, inner.width > labelWidth + 4 else { return }
        let fieldWidth = inner.width - labelWidth - 3
        for field in Form.Field.allCases {
            let row = inner.row + 1 + field.rawValue
            let focused = field == form.focus
            buffer.putLine([Span(" " + TextFit.fit(Form.label(field), to: labelWidth), focused ? .title : .muted)],
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
            buffer.putLine([Span(" " + error, .error)], row: inner.row + fields + 2, in: inner)
        }
        buffer.putLine([Span(" " + UIStrings.formHint, .muted)], row: inner.row + fields + 3, in: inner)
    }
}
