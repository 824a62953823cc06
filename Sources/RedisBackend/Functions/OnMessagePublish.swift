import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_message_publish`: QoS 1/2 messages (and retained QoS 0 ones) stored as `mqtt:msg:<id>` with a TTL,
/// QoS 1/2 ids added to the topic's sorted set for offline fetches (a tick's ids of one topic in one `ZADD`).
enum OnMessagePublish {
    static func run(_ message: BrokerMessage, _ context: RuleContext) {
        guard message.qos != .atMostOnce || message.retain else { return }
        if message.retain && message.payload.readableBytes == 0 { return }
        let id = message.id.description
        // Encoded here, on the broker's loop, into one buffer: per stored message no key string, argument
        // array or second encoding on the writer.
        let order = StoredMessageFields.messageOrder
        let publisherLength = (message.publisher ?? "mqtop").utf8.count
        var encoder = RedisCommandEncoder(
            capacity: 384 + publisherLength + message.topic.utf8.count * 2 + message.payload.readableBytes)
        encoder.begin("HMSET", key: EMQXKeys.messagePrefix, id)
        for field in order {
            encoder.argument(RESPArgument(field.rawValue))
            encoder.argument(context.messageField(field, of: message, id: id))
        }
        if context.rule.expiredTime > 0 {
            encoder.begin("PEXPIRE", key: EMQXKeys.messagePrefix, id)
            encoder.argument(RESPArgument(RedisCommand.expiryMilliseconds(.seconds(context.rule.expiredTime))))
        }
        guard message.qos != .atMostOnce else { return context.write(encoder.commands()) }
        // The id joins the topic's sorted set after the hash is written, in one ZADD with the tick's others.
        context.writeStoredMessage(encoder.commands(), id: id, topic: message.topic)
    }
}
