import EMQXLayout
import MQTTBroker
import NIOCore
import RedisClient

/// `on_message_retain`: a non-empty retained message stored as `mqtt:retain:<topic>` with a TTL.
enum OnMessageRetain {
    static func run(_ message: BrokerMessage, _ context: RuleContext) {
        guard message.retain, message.payload.readableBytes > 0 else { return }
        let key = EMQXKeys.retain(message.topic)
        var commands: [RedisCommand] = [
            .del([.init(key)]),
            .hmset(.init(key), fields: context.messageFields(message, id: message.id.description, order: StoredMessageFields.retainOrder)),
        ]
        if context.rule.expiredTime > 0 {
            commands.append(.expire(.init(key), after: .seconds(context.rule.expiredTime)))
            // The broker's index stops serving it when Redis drops it.
            context.broker.retainedExpires(topic: message.topic, id: message.id,
                                           at: .now() + .seconds(Int64(context.rule.expiredTime)))
        }
        context.write(commands)
    }
}
