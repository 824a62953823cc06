import Monitor

/// Key handling: one switch per overlay. Resize and Ctrl-C work everywhere; a status message lasts until
/// the next key.
extension DashboardState {
    /// Applies one key and returns what the outside world should do (usually nothing).
    public mutating func handle(_ key: Key) -> [Action] {
        if case let .resize(width, height) = key {
            setSize(TerminalSize(width: width, height: height))
            return []
        }
        if key == .ctrlC { return [.quit] }
        clearStatus()
        switch overlay {
        case .none: return handleNormal(key)
        case .filter(let editor): return handleFilter(key, editor: editor)
        case .form(let form): return handleForm(key, form: form, overlay: Overlay.form)
        case .publish(let form): return handleForm(key, form: form, overlay: Overlay.publish)
        case .confirm(let confirmation): return handleConfirm(key, confirmation: confirmation)
        case .help:
            setOverlay(.none)
            return []
        case .detail(let detail): return handleDetail(key, detail: detail)
        }
    }

    // MARK: - Normal mode

    /// Dispatches on the one key table (`KeyMap`).
    private mutating func handleNormal(_ key: Key) -> [Action] {
        guard let binding = KeyMap.binding(for: key, in: focus) else { return [] }
        if binding.writes, refuseIfReadOnly(UIStrings.what(binding.command)) { return [] }
        switch binding.command {
        case .move: _ = moveSelection(key)
        case .nextPane: setFocus(focus.next)
        case .previousPane: setFocus(focus.previous)
        case .focusPane:
            if case .char(let c) = key, let n = c.wholeNumberValue, let pane = PaneKind(rawValue: n) { setFocus(pane) }
        case .filter: setOverlay(.filter(LineEditor(filter(of: focus).text)))
        case .clearFilter:
            if !filter(of: focus).isEmpty { setFilter("", in: focus) }
        case .detail: openDetail()
        case .subscribe: openSubscribeForm()
        case .unsubscribe: confirmUnsubscribe()
        case .deleteRetained: confirmDeleteRetained()
        case .publish: openPublishForm()
        case .kick: confirmKick()
        case .toggleOffline:
            guard focus == .clients else { break }
            toggleOffline()
            showStatus(showsOffline ? UIStrings.offlineShownMessage : UIStrings.offlineHiddenMessage)
        case .sortTopics:
            guard focus == .topics else { break }
            setTopicOrder(topicOrder.next)
            showStatus(UIStrings.sortedBy(topicOrder))
        case .toggleTree:
            guard focus == .topics else { break }
            toggleTopicTree()
        case .nextTheme: return [.nextTheme]
        case .togglePause: return [togglePause()]
        case .help: setOverlay(.help)
        case .quit: return [.quit]
        }
        return []
    }

    /// Arrows, vi keys, paging: true when the key moved the focused pane's selection.
    private mutating func moveSelection(_ key: Key) -> Bool {
        let index = cursors[focus]?.index ?? 0
        let page = max(1, layout.visibleRows(of: focus))
        switch key {
        case .up, .char("k"): select(index - 1, in: focus)
        case .down, .char("j"): select(index + 1, in: focus)
        case .pageUp: select(index - page, in: focus)
        case .pageDown: select(index + page, in: focus)
        case .home, .char("g"): select(0, in: focus)
        case .end, .char("G"): select(Int.max / 2, in: focus)
        default: return false
        }
        return true
    }

    private mutating func togglePause() -> Action {
        togglePaused()
        showStatus(paused ? UIStrings.pausedMessage : UIStrings.resumedMessage)
        return .togglePause
    }

    // MARK: - Filter input

    private mutating func handleFilter(_ key: Key, editor: LineEditor) -> [Action] {
        var editor = editor
        switch key {
        case .enter: setOverlay(.none)
        case .escape:
            setFilter("", in: focus)
            setOverlay(.none)
        case .up, .down, .pageUp, .pageDown:
            _ = moveSelection(key)
        default:
            if editor.handle(key) {
                setFilter(editor.text, in: focus)
                setOverlay(.filter(editor))
            }
        }
        return []
    }

    // MARK: - Subscribe form and confirmations

    private mutating func openSubscribeForm() {
        guard !refuseIfReadOnly(UIStrings.whatSubscribe) else { return }
        var clientID = ""
        if focus == .clients, let id = selectedID(in: .clients) { clientID = id }
        if focus == .subscriptions, let sub = selectedSubscription { clientID = sub.clientID }
        setOverlay(.form(SubscribeForm(clientID: clientID)))
    }

    /// Keys in a form (subscribe or publish): fields, Tab between them, Enter to a confirmation.
    private mutating func handleForm<Form: EntryForm>(_ key: Key, form: Form, overlay: (Form) -> Overlay) -> [Action] {
        var form = form
        switch key {
        case .escape:
            setOverlay(.none)
            showStatus(UIStrings.cancelled)
            return []
        case .tab, .down: form.focusNext()
        case .backTab, .up: form.focusPrevious()
        case .enter:
            switch form.validated() {
            case .success(let action):
                setOverlay(.confirm(Confirmation(action: action, channel: configuration.channel, layout: storeLayout)))
                return []
            case .failure(let error):
                form.error = error.message
                form.focus = error.field
            }
        default:
            var field = form[form.focus]
            if field.handle(key) {
                form[form.focus] = field
                form.error = nil
            }
        }
        setOverlay(overlay(form))
        return []
    }

    private mutating func confirmUnsubscribe() {
        guard !refuseIfReadOnly(UIStrings.whatUnsubscribe) else { return }
        guard focus == .subscriptions, let sub = selectedSubscription else {
            showStatus(UIStrings.needSubscription)
            return
        }
        setOverlay(.confirm(Confirmation(action: .unsubscribe(clientID: sub.clientID, filter: sub.filter),
                                         channel: configuration.channel, layout: storeLayout)))
    }

    private mutating func confirmDeleteRetained() {
        guard !refuseIfReadOnly(UIStrings.whatDelete) else { return }
        guard focus == .retained, let topic = selectedID(in: .retained) else {
            showStatus(UIStrings.needRetained)
            return
        }
        setOverlay(.confirm(Confirmation(action: .deleteRetained(topic: topic), channel: configuration.channel, layout: storeLayout)))
    }

    private mutating func handleConfirm(_ key: Key, confirmation: Confirmation) -> [Action] {
        switch key {
        case .char("y"), .char("Y"):
            setOverlay(.none)
            showStatus(confirmation.doneText)
            approvedLayout = confirmation.layout
            return [confirmation.action]
        case .char("n"), .char("N"), .escape:
            setOverlay(.none)
            showStatus(UIStrings.cancelled)
        default: break
        }
        return []
    }

    /// In read-only mode, says why and returns true.
    private mutating func refuseIfReadOnly(_ what: String) -> Bool {
        guard readOnly else { return false }
        showStatus(UIStrings.readOnlyRefusal(what))
        return true
    }

    /// The subscription selected in pane 2, looked up by identity in the snapshot.
    var selectedSubscription: SubscriptionRow? {
        guard let id = selectedID(in: .subscriptions) else { return nil }
        return snapshot.subscriptions.first { SubscriptionsPane.id(clientID: $0.clientID, filter: $0.filter) == id }
    }

    // MARK: - Detail

    private mutating func openDetail() {
        let target: DetailState.Target?
        switch focus {
        case .clients: target = selectedID(in: .clients).map { .client($0) }
        case .subscriptions: target = selectedSubscription.map { .client($0.clientID) }
        case .retained: target = selectedID(in: .retained).map { .retained($0) }
        case .queues: target = selectedID(in: .queues).map { .queue($0) }
        case .topics:
            if let node = selectedTreeNode, node.hasChildren {
                toggleCollapsed(node.path)
                return
            }
            target = selectedTopic.map { .topic($0) }
        }
        guard let target else {
            showStatus(UIStrings.nothingSelected)
            return
        }
        setOverlay(.detail(DetailState(target: target)))
    }

    private mutating func handleDetail(_ key: Key, detail: DetailState) -> [Action] {
        var detail = detail
        let page = max(1, layout.body.height - 3)
        switch key {
        case .escape, .enter, .backspace:
            setOverlay(.none)
            return []
        case .up, .char("k"): detail.scroll -= 1
        case .down, .char("j"): detail.scroll += 1
        case .pageUp: detail.scroll -= page
        case .pageDown: detail.scroll += page
        case .home, .char("g"): detail.scroll = 0
        case .end, .char("G"): detail.scroll = Int.max / 2
        case .char("v"), .tab:
            detail.payloadView = detail.payloadView.next
            detail.scroll = 0
        case .char("q"): return [.quit]
        case .char("t"): return [.nextTheme]
        case .char("p"): return [togglePause()]
        case .char("?"):
            setOverlay(.help)
            return []
        default: break
        }
        detail.scroll = min(max(0, detail.scroll), maxDetailScroll(detail))
        setOverlay(.detail(detail))
        return []
    }
}
