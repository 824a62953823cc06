import EMQXLayout
import MQTTBroker
import MQTTCore
import NIOCore
import RedisClient

/// `on_retain_lookup`: a new subscription's retained messages come from `mqtt:retain:*`, as EMQX serves them.
///
/// The broker's store is the index (loaded with SCAN at start, kept current by every retained publish, and
/// expiring with the rule's `expired_time`); each candidate it holds is read back from Redis before it is
/// sent, so a message whose key expired or was deleted there is not served, and a literal filter the index
/// has nothing for is looked up too (another broker wrote it). While Redis is unreachable the index answers.
struct OnRetainLookup: Sendable {
    let context: RuleContext
    let client: RedisClient
    /// Above this many candidates (a `#` over a huge retained set) the index answers alone: reads go through
    /// the bounded write queue, and must not push accepted writes out of it.
    static let verifiedCandidates = 10_000

    func retainedMessages(matching filter: String, indexed: [BrokerMessage],
                          deliver: @escaping @Sendable ([BrokerMessage]) -> Void) {
        guard indexed.count <= Self.verifiedCandidates else {
            context.logger.debug("\(indexed.count) retained candidates for \(filter): served from the index")
            return deliver(indexed)
        }
        var candidates = indexed.map(\.topic)
        let literal = !filter.utf8.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }
        if literal && candidates.isEmpty && TopicName(filter) != nil { candidates = [filter] }
        let topics = candidates
        guard !topics.isEmpty else { return deliver([]) }
        guard client.health.isConnected else { return deliver(indexed) }
        let context = self.context
        context.runtime.replyHandlers.spawn {
            let replies = await StoredMessageFetch.readAll(topics.map { .hgetall(.init(EMQXKeys.retain($0))) }, context)
            deliver(Self.confirmed(topics: topics, replies: replies, indexed: indexed, context: context))
        }
    }

    /// What Redis still holds of the candidates; the index follows what Redis said.
    static func confirmed(topics: [String], replies: [RESPValue?], indexed: [BrokerMessage],
                          context: RuleContext) -> [BrokerMessage] {
        let broker = context.broker
        let byTopic = Dictionary(indexed.map { ($0.topic, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [BrokerMessage] = []
        for (topic, reply) in zip(topics, replies) {
            let known = byTopic[topic]
            guard let reply else {
                // Unreadable here (the 4.x string form, a failed read): the index's copy stands.
                if let known { result.append(known) }
                continue
            }
            guard let stored = StoredMessageDecoder.decode(reply, broker: context.broker)?.with(retain: true) else {
                // Gone from Redis (expired, or deleted by someone else): gone from the index too.
                if let known { broker.retainedVanished(topic: topic, id: known.id) }
                continue
            }
            if let known, known.id.description == stored.id.description {
                result.append(known)
            } else if broker.retainedReadBack(stored, ifHolding: known?.id) {
                result.append(stored)
            }
            // Else a newer message was published there meanwhile: it went to the subscriber live.
        }
        return result
    }
}

/// Every `on_retain_lookup` rule, as the broker's one source: the first whose topic applies answers.
struct RetainedLookupRules: RetainedMessageSource {
    let lookups: [OnRetainLookup]

    func retainedMessages(matching filter: String, indexed: [BrokerMessage],
                          deliver: @escaping @Sendable ([BrokerMessage]) -> Void) {
        guard let lookup = lookups.first(where: { $0.context.rule.applies(to: filter) }) else {
            return deliver(indexed)
        }
        lookup.retainedMessages(matching: filter, indexed: indexed, deliver: deliver)
    }
}
