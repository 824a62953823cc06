import ConsoleUI
import EMQXLayout
import Foundation
import Logging
import Monitor
import RedisClient
import Testing
import TestSupport

/// The monitor reads what EMQX (or our backend) wrote: both timestamp units, both retained forms.
@Suite struct MonitorSweepTests {
    static func filledRedis() async throws -> RedisServer {
        let redis = try await RedisServer.start()
        let commands: [[String]] = [
            ["HSET", "mqtt:client:cli-alpha", "state", "1", "online_at", "1481685802", "offline_at", "undefined"],
            ["HSET", "mqtt:client:设备-01", "state", "1", "online_at", "1700000000123", "offline_at", "undefined"],
            ["HSET", "mqtt:client:cli-gamma", "state", "0", "online_at", "1481685802", "offline_at", "1481685924"],
            ["HSET", "mqtt:node:emqx@10.0.0.1", "cli-alpha", "1481685802"],
            ["HSET", "mqtt:node:emqx@10.0.0.2", "设备-01", "1700000000"],
            ["HSET", "mqtt:sub:cli-alpha", "sensor/+/temp", "1", "alerts/#", "2"],
            ["HSET", "mqtt:sub:cli-gamma", "queue/jobs", "1"],
            ["HSET", "mqtt:retain:rt/kitchen", "id", "6P9NLcJ65VXBbC22sYb4", "from", "cli-alpha", "qos", "1",
             "topic", "rt/kitchen", "retain", "true", "payload", "21.5C", "ts", "1481690659"],
            // The 4.x form: a string naming the stored message.
            ["SET", "mqtt:retain:rt/garage", "0000000000000000000001"],
            ["HSET", "mqtt:msg:0000000000000000000001", "id", "0000000000000000000001", "from", "cli-gamma", "qos", "1",
             "topic", "rt/garage", "payload", "open", "ts", "1700000000000", "retain", "true"],
            ["ZADD", "mqtt:msg:queue/jobs", "1", "A0", "1", "A1", "1", "A2", "1", "A3", "1", "A4"],
            ["HSET", "mqtt:msg:A0", "id", "A0", "topic", "queue/jobs", "qos", "1", "payload", "x", "ts", "1700000000"],
            ["SET", "mqtt:acked:cli-gamma:queue/jobs", "A1"],
            ["SET", "mqtt:acked:late:queue/jobs", "0"],
        ]
        for command in commands { try await redis.cli(command) }
        return redis
    }

    func monitor(_ redis: RedisServer, batch: Int = 1000) async throws -> RedisMonitor {
        let client = try RedisClient(configuration: RedisConfiguration(url: redis.url))
        return RedisMonitor(client: client, options: .init(mode: .attach, endpoint: redis.url, batch: batch),
                            logger: Logger(label: "test.monitor"))
    }

    @Test func sweepReadsTheWholeLayout() async throws {
        let redis = try await Self.filledRedis()
        let monitor = try await monitor(redis, batch: 2)
        try await monitor.sweepOnce { _ in }
        let snapshot = monitor.snapshot
        // Online first, by id; then offline.
        #expect(snapshot.clients.map(\.clientID) == ["cli-alpha", "设备-01", "cli-gamma"])
        #expect(snapshot.clients.map(\.online) == [true, true, false])
        #expect(snapshot.clients[0].since == 1_481_685_802_000)
        #expect(snapshot.clients[1].since == 1_700_000_000_123)
        #expect(snapshot.clients[2].since == 1_481_685_924_000)
        #expect(snapshot.clients[0].node == "emqx@10.0.0.1")
        #expect(snapshot.clients[1].node == "emqx@10.0.0.2")
        #expect(snapshot.subscriptions.map { "\($0.clientID) \($0.filter) \($0.qos)" }
                == ["cli-alpha alerts/# 2", "cli-alpha sensor/+/temp 1", "cli-gamma queue/jobs 1"])
        #expect(snapshot.retained.map(\.topic) == ["rt/garage", "rt/kitchen"])
        #expect(snapshot.retained.map { String(decoding: $0.payload, as: UTF8.self) } == ["open", "21.5C"])
        #expect(snapshot.retained[1].from == "cli-alpha" && snapshot.retained[1].timestamp == 1_481_690_659_000)
        #expect(snapshot.queues.count == 1)
        let queue = try #require(snapshot.queues.first)
        #expect(queue.topic == "queue/jobs" && queue.depth == 5 && queue.oldest == 1_700_000_000_000)
        #expect(Set(queue.backlog) == [.init(clientID: "cli-gamma", pending: 3), .init(clientID: "late", pending: 5)])
        #expect(snapshot.header.redisState == .connected(role: "master"))
        await redis.stopAndRemove()
    }

    /// What the confirm line shows is what reaches Redis and the channel.
    @Test func plannedWritesReachRedisAndTheChannel() async throws {
        let redis = try await RedisServer.start()
        let client = try RedisClient(configuration: RedisConfiguration(url: redis.url))
        let subscriber = try RedisSubscriber(configuration: RedisConfiguration(url: redis.url))
        try await subscriber.subscribe(["mqtt_channel"])
        let writer = MonitorWriter(client: client)
        let subscribe = WritePlan.commands(for: .subscribe(clientID: "cli-alpha", filter: "alerts/#", qos: 2))
        try await writer.apply(.subscribe(clientID: "cli-alpha", filter: "alerts/#", qos: 2), channel: "mqtt_channel")
        #expect(try await redis.cli("HGET", "mqtt:sub:cli-alpha", "alerts/#") == "2")
        let unsubscribe = WritePlan.commands(for: .unsubscribe(clientID: "cli-alpha", filter: "alerts/#"))
        try await writer.apply(.unsubscribe(clientID: "cli-alpha", filter: "alerts/#"), channel: "mqtt_channel")
        #expect(try await redis.cli("HEXISTS", "mqtt:sub:cli-alpha", "alerts/#") == "0")
        let messages = subscriber.messages
        let published = try await withTimeout("two events on mqtt_channel") {
            var texts: [String] = []
            for await message in messages {
                texts.append(message.text)
                if texts.count == 2 { break }
            }
            return texts
        }
        #expect(published == [subscribe[1].arguments[2], unsubscribe[1].arguments[2]])
        #expect(published[0] == #"{"type":"subscribe","topic":"alerts/#","clientid":"cli-alpha","qos":2}"#)
        await subscriber.close()
        await client.close()
        await redis.stopAndRemove()
    }
}
