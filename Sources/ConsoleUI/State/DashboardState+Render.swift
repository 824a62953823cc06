/// Rendering: a pure function of the state into a `ScreenBuffer` of the current size.
extension DashboardState {
    /// A fresh buffer with the whole screen drawn.
    public func render() -> ScreenBuffer {
        var buffer = ScreenBuffer(width: size.width, height: size.height)
        render(into: &buffer)
        return buffer
    }

    /// Draws the screen into `buffer` (expected to be `size`; anything outside it is clipped).
    public func render(into buffer: inout ScreenBuffer) {
        buffer.cursor = nil
        buffer.fill(buffer.bounds, style: .background)
        guard TooSmallMessage.fits(TerminalSize(width: buffer.width, height: buffer.height)) else {
            TooSmallMessage.draw(into: &buffer)
            return
        }
        let layout = DashboardLayout(size: TerminalSize(width: buffer.width, height: buffer.height),
                                     trafficView: focus == .topics)
        HeaderLine.draw(snapshot.header, paused: paused || snapshot.header.paused, readOnly: readOnly, into: &buffer, rect: layout.header)
        BrokerFiguresLine.draw(snapshot.header.broker, into: &buffer, rect: layout.figures)
        for pane in PaneKind.allCases where layout.panes[pane] != nil {
            drawPane(pane, into: &buffer, rect: layout.rect(of: pane))
        }
        EventsStrip.draw(snapshot.events, timeZone: configuration.timeZone, into: &buffer, rect: layout.events)
        drawOverlay(into: &buffer, layout: layout)
        drawFooter(into: &buffer, layout: layout)
    }

    private func drawPane(_ pane: PaneKind, into buffer: inout ScreenBuffer, rect: Rect) {
        let content = content(of: pane)
        let filter = filter(of: pane)
        let indices = visibleIndices(of: pane)
        let focused = pane == focus
        var title = [Span("\(pane.rawValue) ", Style(focused ? .titleFocused : .title, attributes: .bold)),
                     Span(content.title, focused ? .titleFocused : .title)]
        if !filter.isEmpty {
            title.append(Span("  " + UIStrings.filterInTitle(Escaping.controls(filter.text), shown: indices.count,
                                                            total: content.count), .warn))
        }
        let cursor = cursors[pane] ?? PaneCursor()
        let visible = Table.visibleRows(height: rect.height - 2)
        let label = indices.count > visible ? "\(cursor.index + 1)/\(indices.count)" : nil
        let inner = BorderedPane(title: title, focused: focused, bottomLabel: label).draw(into: &buffer, rect: rect)
        // Only the rows in the window are formatted.
        let window = min(cursor.offset, indices.count)..<min(cursor.offset + visible, indices.count)
        let table = Table(columns: content.columns, rows: window.map { content.row(at: indices[$0]) },
                          selected: indices.isEmpty ? nil : cursor.index - window.lowerBound, offset: 0, focused: focused,
                          emptyText: filter.isEmpty ? content.emptyText : UIStrings.noMatch(Escaping.controls(filter.text)))
        table.draw(into: &buffer, rect: inner)
    }

    private func drawOverlay(into buffer: inout ScreenBuffer, layout: DashboardLayout) {
        switch overlay {
        case .none, .filter, .confirm: break
        case .help: HelpOverlay.draw(into: &buffer, area: layout.body)
        case .form(let form): FormView.draw(form, into: &buffer, area: layout.body)
        case .publish(let form): FormView.draw(form, into: &buffer, area: layout.body)
        case .detail(let detail):
            DetailView(page: detailPage(detail), scroll: detail.scroll).draw(into: &buffer, rect: layout.body)
        }
    }

    private func drawFooter(into buffer: inout ScreenBuffer, layout: DashboardLayout) {
        let footer = layout.footer
        switch overlay {
        case .confirm(let confirmation):
            ConfirmLine.draw(confirmation, into: &buffer, bottom: footer)
            return
        case .filter(let editor):
            let help = filter(of: focus).wildcardAllowed ? UIStrings.filterHelp : UIStrings.filterHelpPlain
            let helpWidth = CharWidth.of(help) + 2
            let fieldWidth = max(10, footer.width - helpWidth - 2)
            buffer.fillRow(footer.row, in: footer, style: Style(.text))
            buffer.put(" " + UIStrings.filterPrompt, row: footer.row, column: footer.column, style: Style(.keyHint))
            let window = editor.window(width: fieldWidth)
            let start = footer.column + 2
            buffer.put(window.text, row: footer.row, column: start, style: Style(.text), clip: start..<(start + fieldWidth))
            let cursorColumn = start + window.cursorColumn
            buffer.restyle(Rect(row: footer.row, column: cursorColumn, width: 1, height: 1)) { $0.with(.reverse) }
            buffer.cursor = (footer.row, cursorColumn)
            if footer.width - helpWidth > start + fieldWidth - 1 {
                buffer.put(help, row: footer.row, column: footer.right - helpWidth + 1, style: Style(.muted), clip: footer.columns)
            }
            return
        default: break
        }
        if let statusMessage {
            buffer.putLine([Span(" " + Escaping.controls(statusMessage), .warn)], row: footer.row, in: footer)
            return
        }
        let note = readOnly ? Span(UIStrings.readOnly, .warn) : nil
        KeyHintBar(hints: footerHints, note: note).draw(into: &buffer, rect: footer)
    }

    /// The commands the focused component offers, as the footer shows them (from `KeyMap`).
    public var footerHints: [KeyHint] {
        if case .detail(let detail) = overlay { return detailPage(detail).hints }
        return KeyMap.bindings.compactMap { binding -> KeyHint? in
            guard var hint = binding.hint, binding.applies(in: focus) else { return nil }
            if binding.writes && readOnly { return nil }
            switch binding.command {
            case .clearFilter where filter(of: focus).isEmpty: return nil
            case .kick where !configuration.canKick: return nil
            case .publish where !configuration.canPublish: return nil
            case .toggleOffline where !showsOffline, .togglePause where paused, .toggleTree where trafficView.tree:
                hint = binding.toggledHint ?? hint
            case .sortTopics:
                hint.label = UIStrings.sortHint(topicOrder.next)
            default: break
            }
            return hint
        }
    }

    func detailPage(_ detail: DetailState) -> DetailContent.Page {
        DetailContent.page(detail, snapshot: snapshot, traffic: pausedTraffic ?? traffic, now: now, timeZone: configuration.timeZone,
                           width: DetailView.contentWidth(for: layout.body))
    }

    func maxDetailScroll(_ detail: DetailState) -> Int {
        max(0, detailPage(detail).lines.count - DetailView.contentHeight(for: layout.body))
    }
}
