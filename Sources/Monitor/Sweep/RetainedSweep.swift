import EMQXLayout
import Foundation
import NIOCore
import RedisClient
import RESP

/// `mqtt:retain:*`: retained messages, in the seed's hash form or the 4.x form (a string naming a message).
struct RetainedSweep {
    let client: RedisClient
    let batch: Int

    func run(_ progress: @Sendable ([RetainedRow], Double) -> Void) async throws -> [RetainedRow] {
        var rows: [RetainedRow] = []
        for try await page in client.scanPages(match: EMQXKeys.retainPrefix + "*", count: batch) {
            let keys = page.keys
            let types = try await client.pipeline(keys.map { .type(.init($0)) })
            var reads: [(topic: String, command: RedisCommand, isIndirect: Bool)] = []
            for (key, type) in zip(keys, types) {
                let topic = String(key.dropFirst(EMQXKeys.retainPrefix.count))
                switch (try? type.get())?.string {
                case "hash": reads.append((topic, .hgetall(.init(key)), false))
                case "string": reads.append((topic, .get(.init(key)), true))
                default: continue
                }
            }
            let replies = try await client.pipeline(reads.map(\.command))
            // 4.x: each string names mqtt:msg:<id>; fetch those in one more pipeline.
            var indirect: [(topic: String, id: String)] = []
            for (read, reply) in zip(reads, replies) {
                if read.isIndirect {
                    if let id = (try? reply.get())?.string { indirect.append((read.topic, id)) }
                } else if let row = Self.row(topic: read.topic, HashReply.fields(try? reply.get())) {
                    rows.append(row)
                }
            }
            if !indirect.isEmpty {
                let messages = try await client.pipeline(indirect.map { .hgetall(.init(EMQXKeys.message($0.id))) })
                for (entry, reply) in zip(indirect, messages) {
                    if let row = Self.row(topic: entry.topic, HashReply.fields(try? reply.get())) { rows.append(row) }
                }
            }
            progress(rows, page.progress)
        }
        return rows
    }

    static func row(topic: String, _ fields: [String: ByteBuffer]) -> RetainedRow? {
        guard !fields.isEmpty else { return nil }
        let payload = fields["payload"].map { Data($0.readableBytesView) } ?? Data()
        return RetainedRow(topic: HashReply.string(fields, "topic") ?? topic,
                           qos: HashReply.string(fields, "qos").flatMap { Int($0) } ?? 0,
                           from: HashReply.string(fields, "from") ?? "",
                           timestamp: HashReply.string(fields, "ts").flatMap(EMQXTime.millis(fromStored:)),
                           payload: payload, messageID: HashReply.string(fields, "id") ?? "")
    }
}
