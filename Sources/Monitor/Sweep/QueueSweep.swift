import EMQXLayout
import RedisClient
import RESP

/// `mqtt:msg:<topic>` sorted sets (depth, oldest message) and `mqtt:acked:<cid>:<topic>` cursors (per
/// subscriber backlog: the messages after its cursor).
struct QueueSweep {
    let client: RedisClient
    let batch: Int

    func run(_ progress: @Sendable ([QueueRow]) -> Void) async throws -> [QueueRow] {
        var rows: [String: QueueRow] = [:]
        // Only sorted sets: the message hashes share the prefix.
        for try await keys in client.scan(match: EMQXKeys.messagePrefix + "*", count: batch, type: "zset") {
            var commands: [RedisCommand] = []
            for key in keys {
                commands.append(.zcard(.init(key)))
                commands.append(.zrange(.init(key), from: 0, to: 0))
            }
            let replies = try await client.pipeline(commands)
            var oldestIDs: [(topic: String, id: String)] = []
            for (index, key) in keys.enumerated() {
                let topic = String(key.dropFirst(EMQXKeys.messagePrefix.count))
                let depth = (try? replies[index * 2].get())?.int ?? 0
                rows[topic] = QueueRow(topic: topic, depth: depth, oldest: nil, backlog: [])
                if let first = (try? replies[index * 2 + 1].get())?.array?.first?.string {
                    oldestIDs.append((topic, first))
                }
            }
            let times = try await client.pipeline(oldestIDs.map { .hget(.init(EMQXKeys.message($0.id)), field: "ts") })
            for (entry, reply) in zip(oldestIDs, times) {
                rows[entry.topic]?.oldest = (try? reply.get())?.string.flatMap(EMQXTime.millis(fromStored:))
            }
            progress(Array(rows.values))
        }
        try await addBacklogs(to: &rows)
        return rows.values.sorted { $0.topic < $1.topic }
    }

    /// For each cursor `mqtt:acked:<cid>:<topic>` of a known queue: how many messages lie after it.
    private func addBacklogs(to rows: inout [String: QueueRow]) async throws {
        for try await keys in client.scan(match: EMQXKeys.ackedPrefix + "*", count: batch, type: "string") {
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
