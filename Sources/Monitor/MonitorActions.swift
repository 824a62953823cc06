import EMQXLayout
import Foundation
import RedisClient
import RESP

/// What the console's keys write, exactly as a business server would (spec §5).
public struct MonitorActions: Sendable {
    let client: RedisClient
    let channel: String

    public init(client: RedisClient, channel: String = "mqtt_channel") {
        self.client = client
        self.channel = channel
    }

    /// The JSON of a SUB/UNSUB event, keys in a fixed order so what the console shows is what it sends.
    public static func eventJSON(type: String, clientID: String, topic: String, qos: Int?) -> String {
        var object: [String: Any] = ["type": type, "clientid": clientID, "topic": topic]
        if let qos { object["qos"] = qos }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// `HSET mqtt:sub:<cid> <filter> <qos>` (survives reconnects) and the PUBLISH (applies now).
    public func subscribe(clientID: String, filter: String, qos: Int) async throws {
        let json = Self.eventJSON(type: "subscribe", clientID: clientID, topic: filter, qos: qos)
        try await run([
            .hset(.init(EMQXKeys.subscriptions(clientID)), field: .init(filter), to: .init(qos)),
            .publish(.init(json), to: .init(channel)),
        ])
    }

    /// `HDEL mqtt:sub:<cid> <filter>` and the unsubscribe PUBLISH.
    public func unsubscribe(clientID: String, filter: String) async throws {
        let json = Self.eventJSON(type: "unsubscribe", clientID: clientID, topic: filter, qos: nil)
        try await run([
            .hdel(.init(EMQXKeys.subscriptions(clientID)), fields: [.init(filter)]),
            .publish(.init(json), to: .init(channel)),
        ])
    }

    /// `DEL mqtt:retain:<topic>`.
    public func deleteRetained(topic: String) async throws {
        try await run([.del([.init(EMQXKeys.retain(topic))])])
    }

    private func run(_ commands: [RedisCommand]) async throws {
        for command in commands {
            try await client.send(command)
        }
    }
}
