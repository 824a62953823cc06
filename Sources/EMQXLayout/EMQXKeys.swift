/// The Redis keys of EMQX's `emqx_backend_redis` layout, written by the backend and read by the console.
/// One place, so what we write and what we read can never drift apart.
public enum EMQXKeys {
    public static let clientPrefix = "mqtt:client:"
    public static let nodePrefix = "mqtt:node:"
    public static let subscriptionPrefix = "mqtt:sub:"
    public static let messagePrefix = "mqtt:msg:"
    /// A topic's sorted set of message ids shares the messages' prefix (the seed's layout).
    public static let topicMessagesPrefix = messagePrefix
    public static let ackedPrefix = "mqtt:acked:"
    public static let retainPrefix = "mqtt:retain:"
    public static let latestPrefix = "mqtt:latest_msg:"

    /// Hash `state online_at offline_at`.
    public static func client(_ clientID: String) -> String { clientPrefix + clientID }
    /// Hash client id → connect time.
    public static func node(_ node: String) -> String { nodePrefix + node }
    /// Hash filter → qos.
    public static func subscriptions(_ clientID: String) -> String { subscriptionPrefix + clientID }
    /// Hash of one stored message (`id from qos topic payload ts retain`).
    public static func message(_ messageID: String) -> String { messagePrefix + messageID }
    /// Sorted set of the message ids stored for a topic (all scores 1).
    public static func topicMessages(_ topic: String) -> String { topicMessagesPrefix + topic }
    /// String: the last message id a client acknowledged on a topic (one-to-many cursor).
    public static func acked(_ clientID: String, _ topic: String) -> String { ackedPrefix + clientID + ":" + topic }
    /// Hash of the retained message of a topic (or, in the 4.x form, a string holding a message id).
    public static func retain(_ topic: String) -> String { retainPrefix + topic }
    /// Hash of the newest message of a topic (keep-latest variant).
    public static func latest(_ topic: String) -> String { latestPrefix + topic }

    /// The value of `offline_at` before a client's first disconnect, as EMQX writes it.
    public static let undefined = "undefined"
}

/// Timestamps in the layout: seconds by default, milliseconds in 4.x style. Readers accept both.
public enum EMQXTime {
    /// Unix milliseconds for a stored value: values above 10^11 are milliseconds, others seconds.
    public static func millis(fromStored text: String) -> Int64? {
        guard let value = Int64(text.trimmingCharacters(in: [" "])) else { return nil }
        return value > 100_000_000_000 ? value : value * 1000
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> Substring {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
