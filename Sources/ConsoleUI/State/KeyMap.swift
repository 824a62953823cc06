/// Every key the console answers to outside dialogs, in one table: the key handler dispatches on it, the
/// footer shows its hints and `?` lists it, so a key cannot be half-added.
public enum KeyMap {
    public enum Command: Sendable, Hashable {
        case move, nextPane, previousPane, focusPane, filter, clearFilter, detail
        case subscribe, unsubscribe, deleteRetained, publish, kick
        case toggleOffline, sortTopics, toggleTree, nextTheme, togglePause, help, quit
    }

    public struct Binding: Sendable {
        public let command: Command
        public let keys: [Key]
        /// The keys as help shows them.
        public let keyText: String
        public let help: String
        /// The footer hint; nil for keys only help lists.
        public let hint: KeyHint?
        /// The hint while the toggle it flips is on (offline hidden, paused, tree view).
        public let toggledHint: KeyHint?
        /// Where the footer offers it (nil: every pane).
        public let panes: Set<PaneKind>?
        /// Only handled in `panes` (so `k` kicks in Clients and moves up elsewhere).
        public let onlyInPanes: Bool
        /// Refused with a reason in read-only mode, and left out of its footer.
        public let writes: Bool

        init(_ command: Command, _ keys: [Key], _ keyText: String, _ help: String, hint: KeyHint? = nil,
             toggled: KeyHint? = nil, panes: Set<PaneKind>? = nil, onlyInPanes: Bool = false, writes: Bool = false) {
            self.command = command
            self.keys = keys
            self.keyText = keyText
            self.help = help
            self.hint = hint
            toggledHint = toggled
            self.panes = panes
            self.onlyInPanes = onlyInPanes
            self.writes = writes
        }

        public func applies(in pane: PaneKind) -> Bool { panes?.contains(pane) ?? true }
    }

    /// In footer and help order.
    public static let bindings: [Binding] = [
        Binding(.help, [.char("?")], "?", "this help", hint: UIStrings.hintHelp),
        Binding(.nextPane, [.tab], "Tab / BackTab", "next / previous pane", hint: UIStrings.hintPane),
        Binding(.previousPane, [.backTab], "", ""),
        Binding(.focusPane, (1...5).map { .char(Character(String($0))) }, "1 2 3 4 5",
                "focus Clients, Subscriptions, Retained, Queues, Topics"),
        Binding(.move, [.up, .down, .char("j"), .char("k"), .pageUp, .pageDown, .home, .end, .char("g"), .char("G")],
                "↑ ↓  j k  PgUp PgDn", "move the selection, page (Home End: first, last)"),
        Binding(.filter, [.char("/")], "/", "filter: text, or an MQTT filter with + # on topic panes",
                hint: UIStrings.hintFilter),
        Binding(.clearFilter, [.escape], "Esc", "clear the filter, close a dialog", hint: UIStrings.hintClearFilter),
        Binding(.detail, [.enter], "Enter", "detail; Topics: message tail, tree: open/close a level",
                hint: UIStrings.hintDetail),
        Binding(.subscribe, [.char("s")], "s", "subscribe a client (writes mqtt:sub and publishes)",
                hint: UIStrings.hintSubscribe, panes: [.clients, .subscriptions, .retained, .queues], writes: true),
        Binding(.unsubscribe, [.char("u")], "u", "unsubscribe the selected subscription",
                hint: UIStrings.hintUnsubscribe, panes: [.subscriptions], writes: true),
        Binding(.deleteRetained, [.char("d")], "d", "delete the selected retained message",
                hint: UIStrings.hintDeleteRetained, panes: [.retained], writes: true),
        Binding(.publish, [.char("P")], "P", "publish (topic from the selected topic or retained)",
                hint: UIStrings.hintPublish, panes: [.retained, .topics], writes: true),
        Binding(.kick, [.char("k")], "k", "in Clients: disconnect the client (0x98 to 5.0)",
                hint: UIStrings.hintKick, panes: [.clients], onlyInPanes: true, writes: true),
        Binding(.toggleOffline, [.char("o")], "o", "in Clients: hide / show offline clients",
                hint: UIStrings.hintHideOffline, toggled: UIStrings.hintShowOffline, panes: [.clients]),
        Binding(.sortTopics, [.char("S")], "S", "in Topics: sort by rate, count or name",
                hint: UIStrings.hintSort, panes: [.topics]),
        Binding(.toggleTree, [.char("T")], "T", "in Topics: tree of topic levels / flat list",
                hint: UIStrings.hintTree, toggled: UIStrings.hintList, panes: [.topics]),
        Binding(.nextTheme, [.char("t")], "t", "next theme", hint: UIStrings.hintTheme),
        Binding(.togglePause, [.char("p")], "p", "pause / resume updates", hint: UIStrings.hintPause,
                toggled: UIStrings.hintResume),
        Binding(.quit, [.char("q"), .ctrlC], "q  Ctrl-C", "quit", hint: UIStrings.hintQuit),
    ]

    /// What `key` does with `pane` focused: a binding restricted to the pane wins over a general one.
    public static func binding(for key: Key, in pane: PaneKind) -> Binding? {
        let candidates = bindings.filter { $0.keys.contains(key) && (!$0.onlyInPanes || $0.applies(in: pane)) }
        return candidates.first { $0.onlyInPanes } ?? candidates.first
    }

    /// The lines of the `?` overlay.
    public static var helpLines: [(key: String, text: String)] {
        bindings.filter { !$0.keyText.isEmpty }.map { ($0.keyText, $0.help) }
            + [("v", "in a payload detail: text, JSON or hex")]
    }
}
