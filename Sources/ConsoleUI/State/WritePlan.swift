/// One Redis command as arguments, plus the text the confirm line shows for it.
public struct RedisCommand: Sendable, Hashable, CustomStringConvertible {
    public var arguments: [String]

    public init(_ arguments: [String]) { self.arguments = arguments }

    /// `HSET mqtt:sub:cli-alpha sensor/+/temp 1`: arguments separated by spaces, quoted like redis-cli only
    /// when an argument is empty or contains whitespace or control characters, so the text is unambiguous.
    public var description: String { arguments.map(RedisCommand.display).joined(separator: " ") }

    static func display(_ argument: String) -> String {
        let needsQuotes = argument.isEmpty || argument.contains { $0.isWhitespace || CharWidth.isControl($0) }
        guard needsQuotes else { return argument }
        if !argument.contains("'") && !argument.contains(where: CharWidth.isControl) { return "'" + argument + "'" }
        return "\"" + JSONText.escaped(argument) + "\""
    }
}

/// The exact Redis writes behind each writing action, in EMQX's layout: subscriptions live in the hash
/// `mqtt:sub:<clientid>` (field = filter, value = qos) and brokers learn of changes from a JSON message on
/// the channel (`mqtt_channel` by default). The confirm line and the executor both use this, so what the
/// operator approves is what is written.
public enum WritePlan {
    public static let defaultChannel = "mqtt_channel"

    public static func commands(for action: Action, channel: String = defaultChannel) -> [RedisCommand] {
        switch action {
        case let .subscribe(clientID, filter, qos):
            return [
                RedisCommand(["HSET", "mqtt:sub:" + clientID, filter, String(qos)]),
                RedisCommand(["PUBLISH", channel, subscribeMessage(clientID: clientID, filter: filter, qos: qos)]),
            ]
        case let .unsubscribe(clientID, filter):
            return [
                RedisCommand(["HDEL", "mqtt:sub:" + clientID, filter]),
                RedisCommand(["PUBLISH", channel, unsubscribeMessage(clientID: clientID, filter: filter)]),
            ]
        case let .deleteRetained(topic):
            return [RedisCommand(["DEL", "mqtt:retain:" + topic])]
        case .quit, .togglePause, .nextTheme:
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
