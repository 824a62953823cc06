/// The detail view: which entity, how far it is scrolled, and how a retained payload is shown.
public struct DetailState: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case client(String)
        case retained(String)
        case queue(String)
        /// A topic's message tail (pane 5).
        case topic(String)
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
