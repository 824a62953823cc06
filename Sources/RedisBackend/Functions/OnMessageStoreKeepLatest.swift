import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_store_keep_latest`: the newest message of each topic, any QoS, in `mqtt:latest_msg:<topic>`.
enum OnMessageStoreKeepLatest {
    static func run(_ message: BrokerMessage, _ context: RuleContext) {
        guard message.payload.readableBytes > 0 || !message.retain else { return }
        let key = EMQXKeys.latest(message.topic)
        var commands: [RedisCommand] = [
            .hmset(.init(key), fields: context.messageFields(message, id: message.id.description, order: StoredMessageFields.messageOrder)),
        ]
        if context.rule.expiredTime > 0 {
            commands.append(.expire(.init(key), after: .seconds(context.rule.expiredTime)))
        }
        context.write(commands)
    }
}
