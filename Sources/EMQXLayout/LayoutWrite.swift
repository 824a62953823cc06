/// A change the console makes to what the layout stores, and the exact Redis commands it takes: the
/// subscription hash and the channel message together, or the retained key.
public enum LayoutWrite: Sendable, Hashable {
    case subscribe(clientID: String, filter: String, qos: Int)
    case unsubscribe(clientID: String, filter: String)
    case deleteRetained(topic: String)

    /// The commands as words (name, then arguments), in the order they must run. In the offline-message
    /// plugin's layout only the subscription hash is written (the plugin reads it when the client next
    /// connects and listens on no channel), and there are no retained keys to delete.
    public func commands(channel: String, layout: StoreLayout = .emqx4) -> [[String]] {
        switch self {
        case let .subscribe(clientID, filter, qos):
            let store = ["HSET", layout.subscriptions(clientID), filter, String(qos)]
            guard layout.listensOnChannel else { return [store] }
            return [store, ["PUBLISH", channel, ChannelMessage(kind: .subscribe, topic: filter, clientID: clientID, qos: qos).text]]
        case let .unsubscribe(clientID, filter):
            let store = ["HDEL", layout.subscriptions(clientID), filter]
            guard layout.listensOnChannel else { return [store] }
            return [store, ["PUBLISH", channel, ChannelMessage(kind: .unsubscribe, topic: filter, clientID: clientID).text]]
        case .deleteRetained(let topic):
            return layout.storesRetained ? [["DEL", EMQXKeys.retain(topic)]] : []
        }
    }
}
