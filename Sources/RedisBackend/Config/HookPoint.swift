/// The broker hook a rule is attached to, by its EMQX name.
public enum HookPoint: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case clientConnected = "client.connected"
    case clientDisconnected = "client.disconnected"
    case sessionCreated = "session.created"
    case sessionSubscribed = "session.subscribed"
    case sessionUnsubscribed = "session.unsubscribed"
    case messagePublish = "message.publish"
    case messageAcked = "message.acked"
    case messageDelivered = "message.delivered"

    /// Accepts the names of the plugin's own tables, including `message.deliver` from its variable table.
    public init?(name: String) {
        if name == "message.deliver" {
            self = .messageDelivered
            return
        }
        self.init(rawValue: name)
    }

    /// Variables a command template of this hook may use: the seed's table, less what the event has not
    /// (an unsubscribe has no qos, a new session no topic), so a template never gets an empty string.
    public var templateVariables: Set<String> {
        switch self {
        case .clientConnected, .clientDisconnected, .sessionCreated: ["clientid"]
        case .sessionSubscribed: ["clientid", "topic", "qos"]
        case .sessionUnsubscribed: ["clientid", "topic"]
        case .messagePublish: ["message", "msgid", "topic", "payload", "qos", "clientid"]
        case .messageAcked, .messageDelivered: ["msgid", "topic", "clientid"]
        }
    }

    /// Whether a rule's `topic` filter applies (client hooks ignore it).
    var usesTopic: Bool {
        switch self {
        case .clientConnected, .clientDisconnected: false
        default: true
        }
    }

    public var description: String { rawValue }
}
