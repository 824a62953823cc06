import EMQXLayout
import Logging
import MQTTBroker
import NIOCore
import RedisClient
import RESP

/// Loads `mqtt:retain:*` into the broker's retained store at start (SCAN, never KEYS; every master of a
/// cluster), so wildcard subscribers get every stored retained message and the broker serves them once.
enum RetainedLoader {
    static func load(from client: RedisClient, into broker: Broker, logger: Logger) async throws -> Int {
        var loaded = 0
        for try await keys in client.scan(match: EMQXKeys.retainPrefix + "*", count: 1000) {
            guard !keys.isEmpty else { continue }
            let replies = try await client.pipeline(keys.map { .type(.init($0)) })
            var reads: [(key: String, command: RedisCommand, isString: Bool)] = []
            for (key, reply) in zip(keys, replies) {
                switch (try? reply.get())?.string {
                case "hash": reads.append((key, .hgetall(.init(key)), false))
                case "string": reads.append((key, .get(.init(key)), true))
                default: continue
                }
            }
            // Each read with the key's PTTL, so the broker stops serving a message when Redis drops it.
            let answers = try await client.pipeline(reads.flatMap { [$0.command, .ttl(.init($0.key))] })
            for (position, read) in reads.enumerated() {
                guard let value = try? answers[2 * position].get() else { continue }
                let ttl = (try? answers[2 * position + 1].get())?.int ?? -1
                var message: BrokerMessage?
                if read.isString, let id = value.string {
                    // The 4.x form: the key names a stored message.
                    let stored = try? await client.send(.hgetall(.init(EMQXKeys.message(id))))
                    message = stored.flatMap { StoredMessageDecoder.decode($0, broker: broker) }
                } else {
                    message = StoredMessageDecoder.decode(value, broker: broker)
                }
                guard let message else {
                    logger.warning("skipped unreadable retained message", metadata: ["key": "\(read.key)"])
                    continue
                }
                broker.loadRetained(message.with(retain: true),
                                    retainUntil: ttl > 0 ? .now() + .milliseconds(Int64(ttl)) : nil)
                loaded += 1
            }
        }
        return loaded
    }
}
