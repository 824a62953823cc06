import EMQXLayout
import RedisClient
import RESP

/// `mqtt:sub:*` (or the plugin's prefix): the stored subscriptions of every client.
struct SubscriptionSweep {
    let client: RedisClient
    let batch: Int
    let layout: StoreLayout

    func run(_ progress: @Sendable ([SubscriptionRow], Double) -> Void) async throws -> [SubscriptionRow] {
        let prefix = layout.subscriptionKeyPrefix
        var rows: [SubscriptionRow] = []
        for try await page in client.scanPages(match: prefix + "*", count: batch) {
            let replies = try await client.pipeline(page.keys.map { .hgetall(.init($0)) })
            for (key, reply) in zip(page.keys, replies) {
                let clientID = String(key.dropFirst(prefix.count))
                for (filter, qos) in HashReply.fields(try? reply.get()) {
                    rows.append(SubscriptionRow(clientID: clientID, filter: filter,
                                                qos: Int(String(buffer: qos)) ?? 0, source: .stored))
                }
            }
            progress(rows, page.progress)
        }
        return rows
    }

    /// The clients a layout without client state knows: one `unknown` row per client id with a stored
    /// subscription.
    static func clients(of rows: [SubscriptionRow]) -> [ClientRow] {
        Set(rows.map(\.clientID)).sorted().map { ClientRow(clientID: $0, presence: .unknown) }
    }
}
