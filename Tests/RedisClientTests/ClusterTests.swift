import Foundation
import NIOCore
import RedisClient
import Testing
import TestSupport

/// A real three-master cluster; slots are moved by hand while the client is in use.
@Suite("Cluster")
struct ClusterTests {
    @Test func routingPipelinesScanAndRedirects() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3)
        let configuration = try testConfiguration(cluster.url) { $0.poolSize = 1 }
        let redis = try RedisClient(configuration: configuration)
        do {
            try await redis.waitUntilConnected()
            let health = try await waitForHealth(redis.healthUpdates(), "all masters connected") { $0.state == .connected }
            #expect(health.connections == 3)

            // A pipeline spanning every node, split per node, results in order.
            let keys = (0..<300).map { "k:\($0)" }
            let results = try await redis.pipeline(keys.enumerated().map { .set(RESPArgument($1), to: RESPArgument($0)) })
            #expect(results.allSatisfy { (try? $0.get()) == .simpleString("OK") })
            var perNode: [Int] = []
            for node in cluster.nodes { perNode.append(Int(try await node.cli("DBSIZE")) ?? 0) }
            #expect(perNode.reduce(0, +) == 300)
            #expect(perNode.allSatisfy { $0 > 0 }, "keys on every master: \(perNode)")
            let reads = try await redis.pipeline(keys.map { .get(RESPArgument($0)) })
            #expect(reads.enumerated().allSatisfy { (try? $1.get().int) == $0 })

            // Commands encoded where they were made are routed by their key too.
            var encoder = RedisCommandEncoder(capacity: 64)
            for index in 0..<60 {
                encoder.begin("HMSET", key: "e:", "\(index)")
                encoder.argument("n")
                encoder.argument(RESPArgument(index))
            }
            let stored = try await redis.pipeline(encoder.commands())
            #expect(stored.allSatisfy { (try? $0.get()) == .simpleString("OK") })
            for index in [0, 17, 59] {
                #expect(try await redis.hgetall(RESPArgument("e:\(index)")).mapValues { String(buffer: $0) } == ["n": "\(index)"])
            }

            // Hash tags keep multi-key commands on one node.
            try await redis.send("MSET", "{user:1}a", "1", "{user:1}b", "2")
            #expect(try await redis.send("MGET", "{user:1}a", "{user:1}b") == .array([.bulkString("1"), .bulkString("2")]))
            try await redis.hset("hash:1", fields: [("f", "v")])
            #expect(try await redis.hgetall("hash:1").mapValues { String(buffer: $0) } == ["f": "v"])

            // SCAN walks every master.
            var scanned = Set<String>()
            for try await batch in redis.scan(match: "k:*", count: 50) { scanned.formUnion(batch) }
            #expect(scanned == Set(keys))

            // MOVED: the slot of "foo" moves; the client's map is stale and must follow.
            try await redis.set("foo", to: "bar")
            let fooSlot = ClusterKeySlot.slot(of: "foo")
            #expect(fooSlot == 12182)
            let fooOwner = try await cluster.owner(of: fooSlot)
            let fooTarget = try #require(cluster.nodes.first { $0 !== fooOwner })
            try await cluster.moveSlot(fooSlot, to: fooTarget)
            #expect(try await redis.getString("foo") == "bar")
            try await redis.set("foo", to: "moved")
            #expect(try await fooTarget.cli("GET", "foo") == "moved")

            // ASK: keys already migrated are served by the importing node after ASKING; new keys go there too.
            let tag = "{ask}"
            let slot = ClusterKeySlot.slot(of: tag + "1")
            try await redis.set(RESPArgument(tag + "1"), to: "one")
            try await redis.set(RESPArgument(tag + "2"), to: "two")
            let source = try await cluster.owner(of: slot)
            let destination = try #require(cluster.nodes.first { $0 !== source })
            try await cluster.beginMigration(slot: slot, to: destination)
            try await cluster.migrateKeys(slot: slot, to: destination, keys: [tag + "1"])
            #expect(try await source.cli("GET", tag + "1").hasPrefix("ASK \(slot) "))
            #expect(try await redis.getString(RESPArgument(tag + "1")) == "one")
            #expect(try await redis.getString(RESPArgument(tag + "2")) == "two")
            try await redis.set(RESPArgument(tag + "3"), to: "three")
            #expect(try await destination.cli("CLUSTER", "COUNTKEYSINSLOT", String(slot)) == "2")
            let asked = try await redis.pipeline([.get(RESPArgument(tag + "1")), .get(RESPArgument(tag + "2")),
                                                  .get(RESPArgument(tag + "3"))])
            #expect(asked.map { (try? $0.get())?.string } == ["one", "two", "three"])
            try await cluster.migrateKeys(slot: slot, to: destination)
            try await cluster.finishMigration(slot: slot, to: destination)
            let moved = try await redis.pipeline([.get(RESPArgument(tag + "1")), .get(RESPArgument(tag + "2"))])
            #expect(moved.map { (try? $0.get())?.string } == ["one", "two"])
        } catch {
            await redis.close()
            await cluster.stop()
            throw error
        }
        await redis.close()
        await cluster.stop()
    }

    /// Writes and reads keep succeeding while their slot migrates key by key to another node.
    @Test func slotMovesDuringUse() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3)
        let redis = try RedisClient(configuration: try testConfiguration(cluster.url))
        let subscriber = try RedisSubscriber(configuration: try testConfiguration(cluster.url))
        let collector = MessageCollector(subscriber)
        do {
            try await redis.waitUntilConnected()
            let tag = "{live}"
            let slot = ClusterKeySlot.slot(of: tag)
            _ = try await redis.pipeline((0..<200).map { .set(RESPArgument("\(tag)\($0)"), to: RESPArgument($0)) })
            try await subscriber.ssubscribe([tag + "news"])
            try await subscriber.subscribe(["broadcast"])
            try await redis.spublish("before", to: RESPArgument(tag + "news"))
            try await collector.waitFor("a shard message before the move") { $0.text == "before" }

            let failures = LockedBox<[String]>([])
            let operations = LockedBox(0)
            let stop = LockedBox(false)
            let worker = Task {
                var round = 0
                while !stop.value {
                    let index = round % 200
                    do {
                        let value = try await redis.getString(RESPArgument("\(tag)\(index)"))
                        if value != String(index) { failures.withLock { $0.append("read \(index): \(value ?? "nil")") } }
                        try await redis.set(RESPArgument("\(tag)new\(round)"), to: RESPArgument(round))
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                    operations.withLock { $0 += 1 }
                    round += 1
                }
            }
            let source = try await cluster.owner(of: slot)
            let destination = try #require(cluster.nodes.first { $0 !== source })
            try await cluster.beginMigration(slot: slot, to: destination)
            for chunk in stride(from: 0, to: 200, by: 40) {
                try await cluster.migrateKeys(slot: slot, to: destination, keys: (chunk..<chunk + 40).map { "\(tag)\($0)" })
                let seen = operations.value
                try await waitUntil("operations between migration steps", timeout: .seconds(10)) { operations.value > seen + 20 }
            }
            try await cluster.migrateKeys(slot: slot, to: destination)
            try await cluster.finishMigration(slot: slot, to: destination)
            let seen = operations.value
            try await waitUntil("operations after the move", timeout: .seconds(10)) { operations.value > seen + 50 }
            stop.withLock { $0 = true }
            await worker.value
            #expect(failures.value.isEmpty, "\(failures.value.prefix(5))")
            #expect(try await destination.cli("CLUSTER", "COUNTKEYSINSLOT", String(slot)) != "0")
            #expect(try await source.cli("CLUSTER", "COUNTKEYSINSLOT", String(slot)) == "0")

            // The shard subscription followed the slot (the old owner pushed sunsubscribe).
            try await collector.publishUntilReceived("a shard message after the move",
                                                     publish: { try await redis.spublish("after", to: RESPArgument(tag + "news")) }) {
                $0.text == "after"
            }
            try await redis.publish("everyone", to: "broadcast")
            try await collector.waitFor("a broadcast message") { $0.channel == "broadcast" }
            #expect(subscriber.subscriptions[.shardChannel] == [tag + "news"])
        } catch {
            await subscriber.close()
            await redis.close()
            await cluster.stop()
            throw error
        }
        await subscriber.close()
        await redis.close()
        await cluster.stop()
    }
}
