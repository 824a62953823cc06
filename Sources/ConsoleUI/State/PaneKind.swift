/// The four focusable panes, numbered as their `1`–`4` focus keys.
public enum PaneKind: Int, CaseIterable, Sendable, Hashable {
    case clients = 1
    case subscriptions = 2
    case retained = 3
    case queues = 4

    /// The next pane for `Tab` (wrapping).
    public var next: PaneKind { PaneKind(rawValue: rawValue % 4 + 1) ?? .clients }
    /// The previous pane for `BackTab` (wrapping).
    public var previous: PaneKind { PaneKind(rawValue: (rawValue + 2) % 4 + 1) ?? .clients }

    /// Panes whose rows are topics or topic filters, where `/` also accepts MQTT wildcards.
    public var isTopicPane: Bool { self != .clients }
}
