import EMQXLayout
import MQTTBroker
import MQTTCore
import RedisClient

/// `on_message_fetch_for_pubsub`: one-to-many offline messages, per subscriber cursor
/// `mqtt:acked:<cid>:<filter>`.
///
/// Without a cursor the subscriber starts now: the cursor is set to the newest id (`0` for an empty set, as
/// EMQX does) and nothing is delivered. With one, every message after it is delivered. A cursor whose
/// message expired still marks a position: ids sort by time, so the newer ones are exactly those above it.
enum OnMessageFetchForPubsub {
    static func run(_ client: ClientInfo, _ subscription: SubscriptionInfo, _ context: RuleContext) {
        guard subscription.qos != .atMostOnce, subscription.isNew else { return }
        let clientID = client.clientID
        let cursorKey = EMQXKeys.acked(clientID, subscription.filter)
        let setKey = EMQXKeys.topicMessages(subscription.filter)
        context.read(.get(.init(cursorKey))) { cursorReply in
            let replies = await StoredMessageFetch.readAll([.zrange(.init(setKey), from: 0, to: -1)], context)
            let ids = (replies.first??.array ?? []).compactMap(\.string)
            guard let cursor = cursorReply.string else {
                context.write([.set(.init(cursorKey), to: .init(ids.last ?? "0"))])
                return
            }
            let newer: [String]
            if let position = ids.firstIndex(of: cursor) {
                newer = Array(ids[(position + 1)...])
            } else {
                newer = ids.filter { $0 > cursor }
            }
            await StoredMessageFetch.deliver(ids: newer, setKey: setKey, to: clientID, qos: subscription.qos, context)
        }
    }
}
