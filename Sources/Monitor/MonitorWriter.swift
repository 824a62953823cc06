import EMQXLayout
import RedisClient
import RESP

/// Makes the console's changes to the layout (`LayoutWrite`), command by command in order, exactly as
/// the confirm line showed them.
public struct MonitorWriter: Sendable {
    let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    /// Stops at the first failure and throws it.
    public func apply(_ write: LayoutWrite, channel: String, layout: StoreLayout = .emqx4) async throws {
        for words in write.commands(channel: channel, layout: layout) {
            guard let name = words.first else { continue }
            try await client.send(RedisCommand(name, words.dropFirst().map { RESPArgument($0) }))
        }
    }
}
