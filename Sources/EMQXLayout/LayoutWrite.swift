/// A change the console makes to what the layout stores, and the exact Redis commands it takes: the
/// subscription hash and the channel message together, or the retained key.
public enum LayoutWrite: Sendable, Hashable {
    case subscribe(clientID: String, filter: String, qos: Int)
    case unsubscribe(clientID: String, filter: String)
    case deleteRetained(topic: String)

    /// The commands as words (name, then arguments), in the order they must run.
    public func commands(channel: String) -> [[String]] {
        switch self {
        case let .subscribe(clientID, filter, qos):
            return [["HSET", EMQXKeys.subscriptions(clientID), filter, String(qos)],
                    ["PUBLISH", channel, ChannelMessage(kind: .subscribe, topic: filter, clientID: clientID, qos: qos).text]]
        case let .unsubscribe(clientID, filter):
            return [["HDEL", EMQXKeys.subscriptions(clientID), filter],
                    ["PUBLISH", channel, ChannelMessage(kind: .unsubscribe, topic: filter, clientID: clientID).text]]
        case .deleteRetained(let topic):
            return [["DEL", EMQXKeys.retain(topic)]]
        }
    }
}
