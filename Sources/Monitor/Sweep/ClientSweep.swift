import EMQXLayout
import RedisClient
import RESP

/// `mqtt:client:*` and `mqtt:node:*`: who is online, since when, on which node.
struct ClientSweep {
    let client: RedisClient
    let batch: Int

    /// Two walks, the nodes then the clients: `progress` gets the rows so far and the share walked.
    func run(_ progress: @Sendable ([ClientRow], Double) -> Void) async throws -> [ClientRow] {
        let nodes = try await nodeOfClients { progress([], $0 / 2) }
        var rows: [ClientRow] = []
        for try await page in client.scanPages(match: EMQXKeys.clientPrefix + "*", count: batch) {
            let keys = page.keys
            let replies = try await client.pipeline(keys.map { .hgetall(.init($0)) })
            for (key, reply) in zip(keys, replies) {
                let fields = HashReply.fields(try? reply.get())
                guard !fields.isEmpty else { continue }
                let clientID = String(key.dropFirst(EMQXKeys.clientPrefix.count))
                let online = HashReply.string(fields, "state") == "1"
                let since = HashReply.string(fields, online ? "online_at" : "offline_at")
                    .flatMap(EMQXTime.millis(fromStored:))
                rows.append(ClientRow(clientID: clientID, online: online, node: online ? nodes[clientID] : nil,
                                      since: since))
            }
            progress(rows, 0.5 + page.progress / 2)
        }
        return rows
    }

    /// client id → node, from every `mqtt:node:<node>` hash.
    private func nodeOfClients(_ progress: (Double) -> Void) async throws -> [String: String] {
        var result: [String: String] = [:]
        for try await page in client.scanPages(match: EMQXKeys.nodePrefix + "*", count: batch) {
            let keys = page.keys
            progress(page.progress)
            let replies = try await client.pipeline(keys.map { .hgetall(.init($0)) })
            for (key, reply) in zip(keys, replies) {
                let node = String(key.dropFirst(EMQXKeys.nodePrefix.count))
                for clientID in HashReply.fields(try? reply.get()).keys { result[clientID] = node }
            }
        }
        return result
    }
}
