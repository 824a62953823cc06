import EMQXLayout
import Foundation
import NIOCore
import RedisClient
import RESP

/// What a look at a few keys says about who wrote them: EMQX 4's client hashes and score-1 queues, or
/// the offline-message plugin's queues scored with a time (an expiry in the 5.x plugin, the publish time
/// in the 6.x tree; the message's own `ts` tells them apart).
public struct LayoutEvidence: Sendable, Hashable {
    public var clientHashes = 0
    public var scoreOneQueues = 0
    public var expiryQueues = 0
    public var publishTimeQueues = 0
    /// Plugin queues whose every sign is gone (hash expired, score older than a TTL): plugin, generation unknown.
    public var undecidedQueues = 0
    /// Seconds: a 6.x message's remaining lifetime plus its age, the plugin's `message_ttl`.
    public var inferredTTL: Int?

    public init(clientHashes: Int = 0, scoreOneQueues: Int = 0, expiryQueues: Int = 0, publishTimeQueues: Int = 0,
                inferredTTL: Int? = nil) {
        self.clientHashes = clientHashes
        self.scoreOneQueues = scoreOneQueues
        self.expiryQueues = expiryQueues
        self.publishTimeQueues = publishTimeQueues
        self.inferredTTL = inferredTTL
    }

    var ompQueues: Int { expiryQueues + publishTimeQueues + undecidedQueues }
    var emqx4Seen: Bool { clientHashes > 0 || scoreOneQueues > 0 }

    /// Scores at or above this are unix milliseconds (2001 on); EMQX 4 scores every member 1.
    public static let epochMillisFloor = 1e12

    /// Classifies one queue from its highest-scored member: the score, and the `ts` (unix ms) and
    /// remaining `PTTL` (ms) of that member's message hash when it still exists. `ttlMillis` is the TTL
    /// the 6.x plugin would use.
    public mutating func addQueue(score: Double, messageTS: Int64?, remainingMillis: Int64?, now: Int64,
                                  ttlMillis: Int64 = Int64(OfflineMessageLayout.defaultMessageTTL) * 1000) {
        guard score >= Self.epochMillisFloor else {
            scoreOneQueues += 1
            return
        }
        guard let ts = messageTS else {
            // Both generations' hashes expire with their messages. A 5.x hash goes at its score (the
            // expiry), a 6.x one a TTL after its score (the publish time). So a hash gone while its score is
            // in the future, or less than a TTL past, is 5.x; older than that, it says nothing.
            if score > Double(now - ttlMillis) { expiryQueues += 1 } else { undecidedQueues += 1 }
            return
        }
        // 5.x: score = publish + TTL; 6.x: score = publish time (a float of the same instant).
        if score - Double(ts) > 1000 {
            expiryQueues += 1
        } else {
            publishTimeQueues += 1
            if inferredTTL == nil, let remaining = remainingMillis, remaining > 0 {
                inferredTTL = Int(((Double(remaining) + Double(now - ts)) / 1000).rounded())
            }
        }
    }

    /// The layout to read as, with what else was seen. `omp` gives the prefixes and TTL; a given TTL wins
    /// over an inferred one. `ompOnly` (`--layout omp`) decides only the plugin generation.
    public func verdict(omp: OfflineMessageLayout, ttlGiven: Bool, ompOnly: Bool = false) -> LayoutReport {
        func plugin(_ wanted: LayoutReport.Basis, foreign: String?) -> LayoutReport {
            // Plugin queues, none telling the generation: read as 6.x for now and judge again.
            let basis = expiryQueues + publishTimeQueues == 0 ? .provisional : wanted
            var layout = omp
            layout.score = expiryQueues > publishTimeQueues ? .expiry : .publishTime
            if !ttlGiven, let inferredTTL { layout.messageTTL = inferredTTL }
            return LayoutReport(layout: .omp(layout), basis: ompOnly && basis == .detected ? .flag : basis, foreign: foreign)
        }
        let emqx4Foreign = emqx4Seen ? Self.describe(clients: clientHashes, queues: scoreOneQueues, layout: "emqx4") : nil
        if ompOnly { return plugin(ompQueues > 0 ? .detected : .provisional, foreign: emqx4Foreign) }
        switch (emqx4Seen, ompQueues > 0) {
        case (false, false):
            return LayoutReport(layout: .emqx4, basis: .provisional)
        case (true, false):
            return LayoutReport(layout: .emqx4, basis: .detected)
        case (false, true):
            return plugin(.detected, foreign: nil)
        case (true, true):
            // Both generations wrote here (an upgrade): read the one holding more queues, name the other.
            if ompQueues > scoreOneQueues { return plugin(.detected, foreign: emqx4Foreign) }
            return LayoutReport(layout: .emqx4, basis: .detected,
                                foreign: Self.describe(clients: 0, queues: ompQueues, layout: "omp"))
        }
    }

    static func describe(clients: Int, queues: Int, layout: String) -> String {
        var parts: [String] = []
        if queues > 0 { parts.append("\(queues) \(layout) \(queues == 1 ? "queue" : "queues")") }
        if clients > 0 { parts.append("\(layout) client keys") }
        return parts.joined(separator: ", ")
    }
}

/// Samples the keyspace for `LayoutEvidence`: a bounded number of `SCAN` calls per prefix (never a
/// whole-keyspace walk), then one pipeline over the sampled queues and one over their newest messages.
struct LayoutProbe {
    let client: RedisClient
    let omp: OfflineMessageLayout
    /// Queues sampled per prefix, and `SCAN` calls at most spent finding them.
    var sampleSize = 16
    var maxCalls = 16
    var batch = 1000

    /// `queues`: judge these queues instead of sampling (a full sweep found them when the sample did not).
    func run(now: Int64, queues given: [String]? = nil) async throws -> LayoutEvidence {
        var evidence = LayoutEvidence()
        evidence.clientHashes = try await sample(match: EMQXKeys.clientPrefix + "*", type: "hash").count
        var prefixes = [EMQXKeys.messagePrefix]
        let ompPrefix = omp.messagePrefix + ":"
        if ompPrefix != EMQXKeys.messagePrefix { prefixes.append(ompPrefix) }
        // Each queue with the prefix its message hashes share: a queue `<prefix><topic>` keeps `<prefix><id>`.
        var queues: [(key: String, prefix: String)] = []
        if let given {
            for key in given.prefix(sampleSize) {
                queues.append((key, key.hasPrefix(ompPrefix) ? ompPrefix : EMQXKeys.messagePrefix))
            }
        } else {
            for prefix in prefixes {
                queues += try await sample(match: prefix + "*", type: "zset").map { ($0, prefix) }
            }
        }
        let newest = try await client.pipeline(queues.map { .zrange(.init($0.key), from: -1, to: -1, withScores: true) })
        var members: [(id: String, score: Double, prefix: String)] = []
        for (queue, reply) in zip(queues, newest) {
            if let first = (try? reply.get())?.scoredMembers.first {
                members.append((String(buffer: first.member), first.score, queue.prefix))
            }
        }
        var reads: [RedisCommand] = []
        for member in members {
            reads.append(.hget(.init(member.prefix + member.id), field: "ts"))
            reads.append(RedisCommand("PTTL", [.init(member.prefix + member.id)]))
        }
        let replies = try await client.pipeline(reads)
        for (index, member) in members.enumerated() {
            let ts = (try? replies[index * 2].get())?.string.flatMap { Int64($0) }
            let remaining = (try? replies[index * 2 + 1].get())?.int.map(Int64.init)
            evidence.addQueue(score: member.score, messageTS: ts, remainingMillis: remaining, now: now,
                              ttlMillis: Int64(omp.messageTTL) * 1000)
        }
        return evidence
    }

    /// Up to `sampleSize` keys matching, within `maxCalls` SCAN calls.
    private func sample(match: String, type: String) async throws -> [String] {
        var keys: [String] = []
        var calls = 0
        guard maxCalls > 0 else { return [] }
        for try await page in client.scanPages(match: match, count: batch, type: type) {
            keys += page.keys
            calls += 1
            if keys.count >= sampleSize || calls >= maxCalls { break }
        }
        return Array(keys.prefix(sampleSize))
    }
}
