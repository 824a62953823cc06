import ConsoleUI
import Foundation
import Monitor
import Testing

/// Checks generated from the one key table: every key it lists is handled, offered and explained, and no
/// two bindings claim one key in one pane.
@Suite struct KeyTableTests {
    static let bindings = KeyMap.bindings.enumerated().map { (index: $0.offset, binding: $0.element) }

    @Test(arguments: PaneKind.allCases)
    func noKeyIsBoundTwiceInAPane(pane: PaneKind) {
        var owner: [Key: KeyMap.Command] = [:]
        for binding in KeyMap.bindings where !binding.onlyInPanes || binding.applies(in: pane) {
            for key in binding.keys {
                let winner = KeyMap.binding(for: key, in: pane)?.command
                if let previous = owner[key], previous != binding.command {
                    // A pane-only binding may shadow a general one there (k: kick in Clients, up elsewhere).
                    #expect(winner == (binding.onlyInPanes ? binding.command : previous), "\(key) in \(pane)")
                }
                owner[key] = owner[key] ?? winner
            }
        }
    }

    @Test func everyBindingWithAHintIsInTheFooterWhereItApplies() {
        for binding in KeyMap.bindings {
            guard let hint = binding.hint, binding.command != .clearFilter else { continue }
            for pane in PaneKind.allCases where binding.applies(in: pane) {
                var state = TrafficFixtures.state()
                _ = state.press(.char(Character(String(pane.rawValue))))
                #expect(state.footerHints.contains { $0.key == hint.key }, "\(hint.key) \(hint.label) in \(pane)")
            }
        }
    }

    @Test func everyBindingIsExplainedInHelp() {
        var state = Fixtures.state()
        _ = state.press(.char("?"))
        let screen = state.render().lines.joined(separator: "\n")
        for binding in KeyMap.bindings where !binding.keyText.isEmpty {
            #expect(screen.contains(binding.help), "help for \(binding.keyText)")
        }
    }

    /// Pressing each command key in each pane where it applies changes something a user can see (focus,
    /// overlay, footer message, an action) — a key in the table cannot be left without a handler.
    @Test func everyCommandKeyDoesSomethingWhereItApplies() {
        for binding in KeyMap.bindings {
            guard let key = binding.keys.first, key != .escape, binding.command != .move else { continue }
            for pane in PaneKind.allCases where binding.applies(in: pane) {
                var state = TrafficFixtures.state()
                _ = state.press(.char(Character(String(pane.rawValue))))
                let before = (state.focus, state.overlay, state.statusMessage, state.topicOrder, state.footerHints)
                let actions = state.handle(key)
                let after = (state.focus, state.overlay, state.statusMessage, state.topicOrder, state.footerHints)
                let changed = !actions.isEmpty || before.0 != after.0 || before.1 != after.1 || before.2 != after.2
                    || before.3 != after.3 || before.4 != after.4
                #expect(changed || binding.command == .focusPane, "\(binding.keyText) in \(pane) did nothing")
            }
        }
    }
}
