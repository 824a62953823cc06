import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_acked_for_pubsub`: the subscriber's cursor moves to the acknowledged message.
enum OnMessageAckedForPubsub {
    static func run(clientID: String, _ message: BrokerMessage, _ context: RuleContext) {
        context.write([.set(.init(EMQXKeys.acked(clientID, message.topic)), to: .init(message.id.description))])
    }
}
