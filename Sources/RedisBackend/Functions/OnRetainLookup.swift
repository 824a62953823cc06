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
///
/// The reads go out in chunks whose answers are delivered in order as they come: the first
/// `Broker.retainedSentFirst` alone, so a subscriber over many retained messages gets its first ones within a round trip, then the
/// rest at once.
struct OnRetainLookup: Sendable {
    let context: RuleContext
    let client: RedisClient
    /// Above this many candidates (a `#` over a huge retained set) the index answers alone: reads go through
    /// the bounded write queue, and must not push accepted writes out of it.
    static let verifiedCandidates = 10_000
    static let laterChunks = 1_000

    /// A topic to read back, and what the index holds for it.
    struct Candidate: Sendable {
        let topic: String
        let known: BrokerMessage?
    }

    func retainedMessages(matching filter: String, indexed: [BrokerMessage],
                          deliver: @escaping @Sendable ([BrokerMessage]) -> Void) {
        guard indexed.count <= Self.verifiedCandidates else {
            context.logger.debug("\(indexed.count) retained candidates for \(filter): served from the index")
            return deliver(indexed)
        }
        var candidates = indexed.map { Candidate(topic: $0.topic, known: $0) }
        let literal = !filter.utf8.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }
        if literal && candidates.isEmpty && TopicName(filter) != nil { candidates = [Candidate(topic: filter, known: nil)] }
        guard !candidates.isEmpty else { return deliver([]) }
        guard client.health.isConnected else { return deliver(indexed) }
        let chunks = Self.chunks(candidates)
        let context = self.context
        context.runtime.replyHandlers.spawn {
            let (answers, answered) = AsyncStream.makeStream(of: (Int, [RESPValue?]).self)
            func request(_ number: Int) {
                let commands = chunks[number].map(Self.firstRead)
                StoredMessageFetch.read(commands, context) { answered.yield((number, $0)) }
            }
            // The first chunk alone: behind thousands of queued reads its answer would wait for their writing.
            request(0)
            var early: [Int: [RESPValue?]] = [:]
            var next = 0
            for await (number, replies) in answers {
                early[number] = replies
                while let replies = early.removeValue(forKey: next) {
                    let messages = await Self.confirmed(chunks[next], replies: replies, context: context)
                    if !messages.isEmpty { deliver(messages) }
                    // The rest once the first are settled: their re-reads must not wait behind them.
                    if next == 0 { chunks.indices.dropFirst().forEach(request) }
                    next += 1
                }
                if next == chunks.count { break }
            }
            answered.finish()
        }
    }

    /// The first `Broker.retainedSentFirst` candidates, then `laterChunks` at a time.
    static func chunks(_ candidates: [Candidate]) -> [ArraySlice<Candidate>] {
        var chunks = [candidates.prefix(Broker.retainedSentFirst)]
        var start = chunks[0].endIndex
        while start < candidates.endIndex {
            let end = min(start + laterChunks, candidates.endIndex)
            chunks.append(candidates[start..<end])
            start = end
        }
        return chunks
    }

    /// For a topic the index holds, only the id of what Redis holds (most often the same message, and
    /// then nothing else need be read); for one it does not, the whole hash.
    static func firstRead(_ candidate: Candidate) -> RedisCommand {
        let key = RESPArgument(EMQXKeys.retain(candidate.topic))
        return candidate.known == nil ? .hgetall(key) : .hget(key, field: "id")
    }

    /// What Redis still holds of the candidates, in their order; the index follows what Redis said. Ids
    /// that differ from the index's, or are missing, are read again whole.
    static func confirmed(_ candidates: ArraySlice<Candidate>, replies: [RESPValue?],
                          context: RuleContext) async -> [BrokerMessage] {
        var result: [BrokerMessage?] = []
        result.reserveCapacity(candidates.count)
        var reread: [(position: Int, candidate: Candidate)] = []
        for (candidate, reply) in zip(candidates, replies) {
            guard let known = candidate.known, let reply else {
                // No index entry: the reply is the whole hash. A failed read (the 4.x string form): the
                // index's copy stands.
                result.append(candidate.known == nil ? settle(candidate, hash: reply, context) : candidate.known)
                continue
            }
            if let id = reply.bytes, id.readableBytesView.elementsEqual(known.id.description.utf8) {
                result.append(known)
            } else {
                reread.append((result.count, candidate))
                result.append(nil)
            }
        }
        if !reread.isEmpty {
            let hashes = await StoredMessageFetch.readAll(reread.map { .hgetall(.init(EMQXKeys.retain($0.candidate.topic))) },
                                                          context)
            for ((position, candidate), hash) in zip(reread, hashes) {
                result[position] = settle(candidate, hash: hash, context)
            }
        }
        return result.compactMap { $0 }
    }

    /// What to send for `candidate` given its whole hash in Redis (nil: unreadable, the index stands).
    static func settle(_ candidate: Candidate, hash: RESPValue?, _ context: RuleContext) -> BrokerMessage? {
        let broker = context.broker
        let known = candidate.known
        guard let hash else { return known }
        guard let stored = StoredMessageDecoder.decode(hash, broker: broker)?.with(retain: true) else {
            // Gone from Redis (expired, or deleted by someone else): gone from the index too.
            if let known { broker.retainedVanished(topic: candidate.topic, id: known.id) }
            return nil
        }
        if let known, known.id.description == stored.id.description { return known }
        // Else a newer message was published there meanwhile: it went to the subscriber live.
        return broker.retainedReadBack(stored, ifHolding: known?.id) ? stored : nil
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
