import NIOCore
import RedisClient
import Testing
import TestSupport

@Suite("Pub/sub")
struct SubscriberTests {
    @Test("channels, patterns and shard channels", arguments: [2, 3])
    func kinds(protocolVersion: Int) async throws {
        try await withServer(await RedisServer.start()) { server in
            let configuration = try testConfiguration(server.url + "?protocol=\(protocolVersion)")
            let subscriber = try RedisSubscriber(configuration: configuration)
            let collector = MessageCollector(subscriber)
            try await withClient(configuration) { redis in
                try await subscriber.subscribe(["plain", "other"])
                try await subscriber.psubscribe(["mqtt:*"])
                try await subscriber.ssubscribe(["shard-a", "shard-b"])
                #expect(subscriber.subscriptions == [.channel: ["plain", "other"], .pattern: ["mqtt:*"],
                                                     .shardChannel: ["shard-a", "shard-b"]])

                let binary = ByteBuffer(bytes: [0, 13, 10, 255, 42])
                #expect(try await redis.publish(RESPArgument(binary), to: "plain") == 1)
                try await redis.publish("p", to: "mqtt:sub")
                try await redis.spublish("s", to: "shard-b")
                let plain = try await collector.waitFor("plain") { $0.channel == "plain" }
                #expect(plain.payload == binary)
                #expect(plain.pattern == nil && !plain.isSharded)
                let pattern = try await collector.waitFor("pattern") { $0.channel == "mqtt:sub" }
                #expect(pattern.pattern == "mqtt:*" && pattern.text == "p")
                let shard = try await collector.waitFor("shard") { $0.channel == "shard-b" }
                #expect(shard.isSharded && shard.text == "s")

                try await subscriber.unsubscribe(["plain"])
                try await subscriber.punsubscribe()
                #expect(subscriber.subscriptions == [.channel: ["other"], .shardChannel: ["shard-a", "shard-b"]])
                #expect(try await redis.publish("gone", to: "plain") == 0)
                #expect(try await redis.publish("kept", to: "other") == 1)
                try await collector.waitFor("other") { $0.channel == "other" }
                #expect(!collector.messages.contains { $0.text == "gone" })
            }
            await subscriber.close()
            #expect(subscriber.health.state == .closed)
        }
    }

    /// A consumer that stops reading costs at most `subscriberBufferLimit` messages of memory: the oldest
    /// unread ones are dropped and counted, the newest are kept in order.
    @Test func stalledConsumerKeepsOnlyTheNewestMessages() async throws {
        try await withServer(await RedisServer.start()) { server in
            let configuration = try testConfiguration(server.url) { $0.subscriberBufferLimit = 5 }
            let subscriber = try RedisSubscriber(configuration: configuration)
            try await subscriber.subscribe(["events"])
            try await withClient(configuration) { redis in
                for number in 0..<20 { try await redis.publish(RESPArgument(number), to: "events") }
            }
            try await waitUntil("15 dropped messages (now \(subscriber.droppedMessages))", timeout: .seconds(10)) {
                subscriber.droppedMessages == 15
            }
            var kept: [String] = []
            for await message in subscriber.messages {
                kept.append(message.text)
                if kept.count == 5 { break }
            }
            #expect(kept == ["15", "16", "17", "18", "19"])
            await subscriber.close()
        }
    }

    @Test func deniedSubscriptionIsReportedAndNotKept() async throws {
        try await withServer(await RedisServer.startWithACL()) { server in
            let subscriber = try RedisSubscriber(configuration: try testConfiguration(
                server.url(user: RedisACL.user, password: RedisACL.userPassword)))
            let error = try await #require(throws: RedisError.self) { try await subscriber.subscribe(["forbidden"]) }
            #expect(error.serverCode == "NOPERM")
            #expect(error.command == "SUBSCRIBE")
            try await subscriber.subscribe(["mqtt_sub"])
            #expect(subscriber.subscriptions == [.channel: ["mqtt_sub"]])
            await subscriber.close()
        }
    }

    /// After kill -9 and a restart the subscriber reconnects and subscribes again by itself.
    @Test func resubscribesAfterRestart() async throws {
        let server = try await RedisServer.start()
        let port = server.port
        var restarted: RedisServer?
        let configuration = try testConfiguration(server.url)
        let subscriber = try RedisSubscriber(configuration: configuration)
        let collector = MessageCollector(subscriber)
        let updates = subscriber.healthUpdates()
        do {
            try await subscriber.subscribe(["events"])
            try await subscriber.psubscribe(["keys:*"])
            let before = subscriber.health.generation
            await server.kill()
            _ = try await waitForHealth(updates, "reconnecting") { $0.state == .reconnecting }
            let down = try await #require(throws: RedisError.self) { try await subscriber.subscribe(["late"]) }
            #expect(down.kind == .notConnected)

            restarted = try await RedisServer.start(directory: server.directory, port: port)
            let back = try await waitForHealth(updates, "connected") { $0.state == .connected }
            #expect(back.generation > before)
            let publisher = try await RedisClient.connect(configuration)
            try await collector.publishUntilReceived("a message after the restart",
                                                     publish: { try await publisher.publish("again", to: "events") }) {
                $0.text == "again"
            }
            try await collector.publishUntilReceived("a pattern message after the restart",
                                                     publish: { try await publisher.publish("k", to: "keys:1") }) {
                $0.pattern == "keys:*"
            }
            #expect(subscriber.subscriptions == [.channel: ["events"], .pattern: ["keys:*"]])
            await publisher.close()
        } catch {
            await subscriber.close()
            await restarted?.stop()
            await server.stopAndRemove()
            throw error
        }
        await subscriber.close()
        await restarted?.stop()
        await server.stopAndRemove()
    }
}
