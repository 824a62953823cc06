import EMQXLayout
import RedisClient
import RESP

/// `mqtt:sub:*`: the stored subscriptions of every client.
struct SubscriptionSweep {
    let client: RedisClient
    let batch: Int

    func run(_ progress: @Sendable ([SubscriptionRow]) -> Void) async throws -> [SubscriptionRow] {
        var rows: [SubscriptionRow] = []
        for try await keys in client.scan(match: EMQXKeys.subscriptionPrefix + "*", count: batch, type: "hash") {
            let replies = try await client.pipeline(keys.map { .hgetall(.init($0)) })
            for (key, reply) in zip(keys, replies) {
                let clientID = String(key.dropFirst(EMQXKeys.subscriptionPrefix.count))
                for (filter, qos) in HashReply.fields(try? reply.get()) {
                    rows.append(SubscriptionRow(clientID: clientID, filter: filter,
                                                qos: Int(String(buffer: qos)) ?? 0, source: .stored))
                }
            }
            progress(rows)
        }
        return rows
    }
}
