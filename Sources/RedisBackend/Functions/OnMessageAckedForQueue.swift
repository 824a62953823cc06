import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_acked_for_queue`: the first acknowledgement by any subscriber consumes a one-to-one message.
enum OnMessageAckedForQueue {
    static func run(clientID: String, _ message: BrokerMessage, _ context: RuleContext) {
        let id = message.id.description
        context.write([
            .del([.init(EMQXKeys.message(id))]),
            .zrem(.init(EMQXKeys.topicMessages(message.topic)), members: [.init(id)]),
        ])
    }
}
