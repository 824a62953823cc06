import EMQXLayout

/// The exact Redis writes behind each writing action, as the layout defines them (`LayoutWrite`). The
/// confirm line and the writer both use this, so what the operator approves is what is written.
public enum WritePlan {
    public static let defaultChannel = "mqtt_channel"

    /// The layout change an action makes; nil for actions that write nothing to Redis.
    public static func write(for action: Action) -> LayoutWrite? {
        switch action {
        case let .subscribe(clientID, filter, qos): return .subscribe(clientID: clientID, filter: filter, qos: qos)
        case let .unsubscribe(clientID, filter): return .unsubscribe(clientID: clientID, filter: filter)
        case let .deleteRetained(topic): return .deleteRetained(topic: topic)
        case .quit, .togglePause, .nextTheme, .publish, .kick: return nil
        }
    }

    public static func commands(for action: Action, channel: String = defaultChannel,
                                layout: StoreLayout = .emqx4) -> [PlannedCommand] {
        (write(for: action)?.commands(channel: channel, layout: layout) ?? []).map(PlannedCommand.init)
    }
}
