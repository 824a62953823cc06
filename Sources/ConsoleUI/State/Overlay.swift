/// What sits on top of the panes and receives keys first. Exactly one at a time, so key handling is a
/// switch on this value.
public enum Overlay: Sendable, Hashable {
    case none
    /// Typing a `/` filter for the focused pane (the filter applies live).
    case filter(LineEditor)
    case form(SubscribeForm)
    case confirm(Confirmation)
    case help
    case detail(DetailState)
}

/// The detail view: which entity, how far it is scrolled, and how a retained payload is shown.
public struct DetailState: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case client(String)
        case retained(String)
        case queue(String)
    }

    public enum PayloadView: String, CaseIterable, Sendable {
        case text, json, hex

        public var next: PayloadView {
            let all = PayloadView.allCases
            return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
        }
    }

    public var target: Target
    public var scroll: Int
    public var payloadView: PayloadView

    public init(target: Target, scroll: Int = 0, payloadView: PayloadView = .text) {
        self.target = target
        self.scroll = scroll
        self.payloadView = payloadView
    }
}

/// Where a pane's selection, scroll position and filter are.
struct PaneCursor: Sendable, Hashable {
    /// The selected row's identity (client id, topic, …); what survives a snapshot update.
    var selectedID: String?
    var index = 0
    var offset = 0
    var filter = ""
}
