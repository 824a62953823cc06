/// The five focusable panes, numbered as their `1`–`5` focus keys. Topics (5) is the traffic view: it
/// takes the place of the four-pane grid while focused.
public enum PaneKind: Int, CaseIterable, Sendable, Hashable {
    case clients = 1
    case subscriptions = 2
    case retained = 3
    case queues = 4
    case topics = 5

    /// The next pane for `Tab` (wrapping).
    public var next: PaneKind { PaneKind(rawValue: rawValue % Self.allCases.count + 1) ?? .clients }
    /// The previous pane for `BackTab` (wrapping).
    public var previous: PaneKind {
        let count = Self.allCases.count
        return PaneKind(rawValue: (rawValue + count - 2) % count + 1) ?? .clients
    }

    /// A live list re-sorted as traffic flows: at its top the selection stays on the first row, as in `top`,
    /// instead of following a row down as others overtake it (which would scroll the busiest out of view).
    public var keepsSelectionAtTop: Bool { self == .topics }

    /// Panes whose rows are topics or topic filters, where `/` also accepts MQTT wildcards.
    public var isTopicPane: Bool { self != .clients }
}
