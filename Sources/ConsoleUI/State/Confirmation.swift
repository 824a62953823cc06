import EMQXLayout

/// A pending write waiting for `y`: the action and the exact commands it will send.
public struct Confirmation: Sendable, Hashable {
    public var action: Action
    public var commands: [PlannedCommand]
    /// The layout the commands were planned for: what `y` approves is written in it, even if the verdict
    /// changes before the key is pressed.
    public var layout: StoreLayout

    public init(action: Action, channel: String, layout: StoreLayout = .emqx4) {
        self.action = action
        self.layout = layout
        commands = WritePlan.commands(for: action, channel: channel, layout: layout)
    }

    /// `will write: HSET … / PUBLISH … — y/n`, the single line the operator approves.
    public var text: String {
        switch action {
        case let .publish(topic, payload, qos, retain):
            return UIStrings.confirmPublish(topic: topic, payload: payload, qos: qos, retain: retain)
        case .kick(let clientID): return UIStrings.confirmKick(clientID)
        default: return UIStrings.confirm(commands.map(\.description))
        }
    }

    /// What the footer says once `y` sent it.
    public var doneText: String {
        switch action {
        case let .publish(topic, _, qos, retain): return UIStrings.published(topic: topic, qos: qos, retain: retain)
        case .kick(let clientID): return UIStrings.kicked(clientID)
        default: return UIStrings.sent(commands.map(\.description))
        }
    }
}
