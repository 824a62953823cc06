/// What sits on top of the panes and receives keys first. Exactly one at a time, so key handling is a
/// switch on this value.
public enum Overlay: Sendable, Hashable {
    case none
    /// Typing a `/` filter for the focused pane (the filter applies live).
    case filter(LineEditor)
    case form(SubscribeForm)
    case publish(PublishForm)
    case confirm(Confirmation)
    case help
    case detail(DetailState)
}
