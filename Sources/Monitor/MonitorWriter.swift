import RedisClient
import RESP

/// Runs the writes the console's keys plan (`HSET`/`HDEL mqtt:sub:…`, the SUB/UNSUB `PUBLISH`, `DEL
/// mqtt:retain:…`), in order, exactly as the confirm line showed them.
public struct MonitorWriter: Sendable {
    let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    /// Each command is its words: the name, then the arguments. Stops at the first failure and throws it.
    public func run(_ commands: [[String]]) async throws {
        for words in commands {
            guard let name = words.first else { continue }
            try await client.send(RedisCommand(name, words.dropFirst().map { RESPArgument($0) }))
        }
    }
}
