import EMQXLayout
import RedisClient
import RESP

/// `mqtt:msg:<topic>` sorted sets (depth, oldest message) and, in the EMQX 4 layout, the
/// `mqtt:acked:<cid>:<topic>` cursors (per subscriber backlog: the messages after its cursor).
///
/// The depth counts only members the layout has not expired (`ZCOUNT` over the live score range; all
/// members in EMQX 4's layout), and the oldest age is the `ts` of the first live member's message.
/// Queues written in the other layout are counted in `foreign`, not shown.
struct QueueSweep {
    let client: RedisClient
    let batch: Int
    let layout: StoreLayout
    /// Unix ms the expiry is judged at.
    let now: Int64

    struct Result {
        var rows: [QueueRow]
        /// Queues that hold the other layout's members only.
        var foreign: Int
        /// The first few of them, and of the queues read, for a layout probe that found nothing to judge by.
        var foreignKeys: [String]
        var sampleKeys: [String]
    }

    /// `progress` gets the rows so far by topic (turned into a list only by a caller that posts them).
    func run(_ progress: @Sendable ([String: QueueRow], Double) -> Void) async throws -> Result {
        let prefix = layout.messageKeyPrefix
        let live = layout.liveScoreRange(now: now)
        var rows: [String: QueueRow] = [:]
        var foreign = 0
        var foreignKeys: [String] = []
        var sampleKeys: [String] = []
        let walkShare = layout.storesAckCursors ? 0.5 : 1.0
        // Only sorted sets: the message hashes share the prefix. The one walk that filters by TYPE, and
        // like every walk here it is bounded per call by MATCH and COUNT.
        for try await page in client.scanPages(match: prefix + "*", count: batch, type: "zset") {
            // Per queue: its depth, its first live member (with score), and the member that tells the
            // layout: the lowest score for EMQX 4 (a time there means plugin members), the highest for
            // the plugin (all scores 1 mean EMQX 4 members).
            var commands: [RedisCommand] = []
            for key in page.keys {
                if let live {
                    commands.append(.zcount(.init(key), min: live.min, max: live.max))
                    commands.append(.zrangeByScore(.init(key), min: live.min, max: live.max, withScores: true,
                                                   limit: (0, 1)))
                    commands.append(.zrange(.init(key), from: -1, to: -1, withScores: true))
                } else {
                    commands.append(.zcard(.init(key)))
                    commands.append(.zrange(.init(key), from: 0, to: 0, withScores: true))
                }
            }
            let replies = try await client.pipeline(commands)
            let stride = live == nil ? 2 : 3
            var oldest: [(topic: String, id: String, score: Double)] = []
            for (index, key) in page.keys.enumerated() {
                let base = index * stride
                let first = (try? replies[base + 1].get())?.scoredMembers.first
                let telling = live == nil ? first : (try? replies[base + 2].get())?.scoredMembers.first
                if let telling, isForeign(score: telling.score) {
                    foreign += 1
                    if foreignKeys.count < 16 { foreignKeys.append(key) }
                    continue
                }
                if sampleKeys.count < 16 { sampleKeys.append(key) }
                let topic = String(key.dropFirst(prefix.count))
                rows[topic] = QueueRow(topic: topic, depth: (try? replies[base].get())?.int ?? 0, oldest: nil, backlog: [])
                if let first { oldest.append((topic, String(buffer: first.member), first.score)) }
            }
            let times = try await client.pipeline(oldest.map { .hget(.init(layout.message($0.id)), field: "ts") })
            for (entry, reply) in zip(oldest, times) {
                rows[entry.topic]?.oldest = (try? reply.get())?.string.flatMap(EMQXTime.millis(fromStored:))
                    ?? publishTime(score: entry.score)
            }
            progress(rows, page.progress * walkShare)
        }
        if layout.storesAckCursors { try await addBacklogs(to: &rows) { progress($0, 0.5 + $1 / 2) } }
        return Result(rows: rows.values.sorted { $0.topic < $1.topic }, foreign: foreign, foreignKeys: foreignKeys,
                      sampleKeys: sampleKeys)
    }

    /// A queue whose telling member's score belongs to the other layout.
    private func isForeign(score: Double) -> Bool {
        let isTime = score >= LayoutEvidence.epochMillisFloor
        return layout == .emqx4 ? isTime : !isTime
    }

    /// The 6.x plugin's score is the publish time itself: the oldest age when the message hash is gone.
    private func publishTime(score: Double) -> Int64? {
        guard case .omp(let omp) = layout, omp.score == .publishTime else { return nil }
        return Int64(score)
    }

    /// For each cursor `mqtt:acked:<cid>:<topic>` of a known queue: how many messages lie after it.
    private func addBacklogs(to rows: inout [String: QueueRow],
                             _ progress: ([String: QueueRow], Double) -> Void) async throws {
        for try await page in client.scanPages(match: EMQXKeys.ackedPrefix + "*", count: batch) {
            progress(rows, page.progress)
            let keys = page.keys
            var cursors: [(clientID: String, topic: String)] = []
            for key in keys {
                let rest = key.dropFirst(EMQXKeys.ackedPrefix.count)
                // <cid>:<topic>, where the topic may contain ':'; take the longest known topic that ends the key.
                guard let split = rest.firstIndex(of: ":") else { continue }
                var clientEnd = split
                var topic = String(rest[rest.index(after: clientEnd)...])
                while rows[topic] == nil, let next = rest[rest.index(after: clientEnd)...].firstIndex(of: ":") {
                    clientEnd = next
                    topic = String(rest[rest.index(after: clientEnd)...])
                }
                guard rows[topic] != nil else { continue }
                cursors.append((String(rest[..<clientEnd]), topic))
            }
            guard !cursors.isEmpty else { continue }
            let values = try await client.pipeline(cursors.map { .get(.init(EMQXKeys.acked($0.clientID, $0.topic))) })
            // Ids sort by publish time and all scores are 1, so the members above the cursor are exactly the
            // messages after it, whether or not the cursor's own message still exists.
            let counts = try await client.pipeline(zip(cursors, values).map { cursor, value in
                let id = (try? value.get())?.string ?? "0"
                return RedisCommand("ZLEXCOUNT", [.init(EMQXKeys.topicMessages(cursor.topic)), .init("(" + id), "+"])
            })
            for (cursor, reply) in zip(cursors, counts) {
                rows[cursor.topic]?.backlog.append(
                    QueueRow.Backlog(clientID: cursor.clientID, pending: (try? reply.get())?.int ?? 0))
            }
        }
    }
}
