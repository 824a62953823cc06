import EMQXLayout
import MQTTBroker
import MQTTCore
import RedisClient

/// `on_retain_lookup`: the retained messages matching a new subscription.
///
/// The broker's retained store is the index of `mqtt:retain:*` (loaded with SCAN at start, kept current
/// by every retained publish), and the broker already delivers from it after SUBACK, wildcards included.
/// What remains is a key that another broker wrote after we loaded: a literal filter the broker has no
/// message for is looked up in Redis, as EMQX does. So each retained topic reaches the subscriber once.
enum OnRetainLookup {
    static func run(_ client: ClientInfo, _ subscription: SubscriptionInfo, _ context: RuleContext) {
        guard subscription.filter.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "#") }),
              !subscription.filter.hasPrefix("$share/"),
              context.broker.retained.message(topic: subscription.filter) == nil else { return }
        let clientID = client.clientID
        context.read(.hgetall(.init(EMQXKeys.retain(subscription.filter)))) { reply in
            guard let message = StoredMessageDecoder.decode(reply, broker: context.broker) else { return }
            // Deliver, and index it so later subscribers get it from the broker.
            context.broker.retained.set(message.with(retain: true))
            await context.broker.deliver(message, to: clientID, qos: subscription.qos, retain: true)
        }
    }
}
