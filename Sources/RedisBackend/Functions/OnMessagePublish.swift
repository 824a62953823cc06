import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_publish`: QoS 1/2 messages (and retained QoS 0 ones) stored as `mqtt:msg:<id>` with a TTL,
/// QoS 1/2 ids added to the topic's sorted set for offline fetches.
enum OnMessagePublish {
    static func run(_ message: BrokerMessage, _ context: RuleContext) {
        guard message.qos != .atMostOnce || message.retain else { return }
        if message.retain && message.payload.readableBytes == 0 { return }
        let id = message.id.description
        let key = EMQXKeys.message(id)
        var commands: [RedisCommand] = [
            .hmset(.init(key), fields: context.messageFields(message, id: id, order: StoredMessageFields.messageOrder)),
        ]
        if message.qos != .atMostOnce {
            commands.append(.zadd(.init(EMQXKeys.topicMessages(message.topic)), members: [(score: 1, member: .init(id))]))
        }
        if context.rule.expiredTime > 0 {
            commands.append(.expire(.init(key), after: .seconds(context.rule.expiredTime)))
        }
        context.write(commands)
    }
}
