import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_acked_for_keep_latest`: an acknowledged latest message is consumed.
enum OnMessageAckedForKeepLatest {
    static func run(clientID: String, _ message: BrokerMessage, _ context: RuleContext) {
        context.write([.del([.init(EMQXKeys.latest(message.topic))])])
    }
}
