import EMQXLayout
import MQTTBroker
import RedisClient

/// `on_retain_delete`: an empty retained message deletes `mqtt:retain:<topic>`; in the 4.x form (a string
/// naming a message id) the message hash it names goes too. The message itself is still routed.
enum OnRetainDelete {
    /// Deletes the key, and the named message when the key is a string (one atomic step, in queue order).
    static let script = """
        if redis.call('TYPE', KEYS[1]).ok == 'string' then \
        redis.call('DEL', ARGV[1] .. redis.call('GET', KEYS[1])) end \
        return redis.call('DEL', KEYS[1])
        """

    static func run(_ message: BrokerMessage, _ context: RuleContext) {
        guard message.retain, message.payload.readableBytes == 0 else { return }
        let key = EMQXKeys.retain(message.topic)
        if context.runtime.isCluster(pool: context.rule.pool) {
            // A script may not touch a key of another slot in a cluster: the 4.x message expires by itself.
            context.write([.del([.init(key)])])
        } else {
            context.write([RedisCommand("EVAL", [.init(script), 1, .init(key), .init(EMQXKeys.messagePrefix)])])
        }
    }
}
