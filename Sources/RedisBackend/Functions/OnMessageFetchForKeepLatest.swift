import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_fetch_for_keep_latest`: a new QoS 1/2 subscription gets the topic's latest stored message.
enum OnMessageFetchForKeepLatest {
    static func run(_ client: ClientInfo, _ subscription: SubscriptionInfo, _ context: RuleContext) {
        guard subscription.qos != .atMostOnce, subscription.isNew else { return }
        let clientID = client.clientID
        context.read(.hgetall(.init(EMQXKeys.latest(subscription.filter)))) { reply in
            guard let message = StoredMessageDecoder.decode(reply, broker: context.broker) else { return }
            await context.broker.deliver(message, to: clientID, qos: subscription.qos)
        }
    }
}
