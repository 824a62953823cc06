/// The exact Redis writes behind each writing action, in EMQX's layout: subscriptions live in the hash
/// `mqtt:sub:<clientid>` (field = filter, value = qos) and brokers learn of changes from a JSON message on
/// the channel (`mqtt_channel` by default). The confirm line and the executor both use this, so what the
/// operator approves is what is written.
public enum WritePlan {
    public static let defaultChannel = "mqtt_channel"

    public static func commands(for action: Action, channel: String = defaultChannel) -> [PlannedCommand] {
        switch action {
        case let .subscribe(clientID, filter, qos):
            return [
                PlannedCommand(["HSET", "mqtt:sub:" + clientID, filter, String(qos)]),
                PlannedCommand(["PUBLISH", channel, subscribeMessage(clientID: clientID, filter: filter, qos: qos)]),
            ]
        case let .unsubscribe(clientID, filter):
            return [
                PlannedCommand(["HDEL", "mqtt:sub:" + clientID, filter]),
                PlannedCommand(["PUBLISH", channel, unsubscribeMessage(clientID: clientID, filter: filter)]),
            ]
        case let .deleteRetained(topic):
            return [PlannedCommand(["DEL", "mqtt:retain:" + topic])]
        case .quit, .togglePause, .nextTheme, .publish, .kick:
            return []
        }
    }

    /// `{"type":"subscribe","topic":"…","clientid":"…","qos":1}`, keys in the order EMQX documents.
    public static func subscribeMessage(clientID: String, filter: String, qos: Int) -> String {
        JSONText.object([("type", .string("subscribe")), ("topic", .string(filter)), ("clientid", .string(clientID)),
                         ("qos", .int(qos))])
    }

    /// `{"type":"unsubscribe","topic":"…","clientid":"…"}`.
    public static func unsubscribeMessage(clientID: String, filter: String) -> String {
        JSONText.object([("type", .string("unsubscribe")), ("topic", .string(filter)), ("clientid", .string(clientID))])
    }
}
