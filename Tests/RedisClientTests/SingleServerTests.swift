import Foundation
import NIOCore
import RedisClient
import Testing
import TestSupport

@Suite("Single server")
struct SingleServerTests {
    @Test("typed helpers and generic commands", arguments: [2, 3])
    func typedHelpers(protocolVersion: Int) async throws {
        try await withServer(await RedisServer.start()) { server in
            let configuration = try testConfiguration(server.url + "?protocol=\(protocolVersion)")
            try await withClient(configuration) { redis in
                // Strings, binary safe.
                let binary = ByteBuffer(bytes: Array(0...255) + Array("\r\n$-1\r\n".utf8))
                #expect(try await redis.set("k:bin", to: RESPArgument(binary)))
                #expect(try await redis.get("k:bin") == binary)
                #expect(try await redis.set("k:bin", to: "x", condition: .ifNotExists) == false)
                #expect(try await redis.getString("k:missing") == nil)
                #expect(try await redis.set("k:n", to: 41))
                #expect(try await redis.send("INCRBY", "k:n", 1).int == 42)

                // Hashes.
                #expect(try await redis.hset("h", fields: [("a", "1"), ("b", RESPArgument([0, 1, 2]))]) == 2)
                try await redis.hmset("h", fields: [("c", 3)])
                #expect(try await redis.hget("h", field: "b")?.bytes == [0, 1, 2])
                let all = try await redis.hgetall("h")
                #expect(all.mapValues { String(buffer: $0) } == ["a": "1", "b": "\u{0}\u{1}\u{2}", "c": "3"])
                #expect(try await redis.hdel("h", fields: ["a", "zz"]) == 1)
                #expect(try await redis.hgetall("nothing").isEmpty)

                // Sorted sets.
                #expect(try await redis.zadd("z", members: [(1.5, "one"), (-.infinity, "low"), (3, "three")]) == 3)
                #expect(try await redis.zcard("z") == 3)
                #expect(try await redis.zrange("z", from: 0, to: -1).map { String(buffer: $0) } == ["low", "one", "three"])
                let scored = try await redis.zrangeWithScores("z", from: 1, to: 2)
                #expect(scored.map(\.score) == [1.5, 3])
                #expect(try await redis.zrem("z", members: ["low"]) == 1)

                // Keys.
                #expect(try await redis.type("h") == "hash")
                #expect(try await redis.type("nothing") == "none")
                #expect(try await redis.ttl("h") == .persistent)
                #expect(try await redis.expire("h", after: .seconds(100)))
                if case .expires(let left) = try await redis.ttl("h") {
                    #expect(left > .seconds(90) && left <= .seconds(100))
                } else {
                    Issue.record("expected a TTL")
                }
                #expect(try await redis.ttl("nothing") == .missing)
                #expect(try await redis.exists("h", "z", "nothing") == 2)
                #expect(try await redis.del("h", "z", "nothing") == 2)

                // Server.
                #expect(try await redis.publish("hello", to: "nobody") == 0)
                #expect(try await redis.info("server")["redis_version"]?.hasPrefix("7.") == true)
                #expect(try await redis.ping() < .seconds(1))
                if case .master = try await redis.role() {} else { Issue.record("expected master") }

                // Nested arrays and a RESP3-only type through the generic call.
                let nested = try await redis.send("EVAL", "return {1, {2, 'x'}, {}}", 0)
                #expect(nested == .array([.integer(1), .array([.integer(2), .bulkString("x")]), .array([])]))
                let hello = try await redis.send("HELLO")
                #expect(hello.map?["proto"]?.int == protocolVersion)
            }
        }
    }

    @Test func serverErrorsCarryTheMessageAndCommand() async throws {
        try await withServer(await RedisServer.start()) { server in
            try await withClient(try testConfiguration(server.url)) { redis in
                try await redis.hset("h", field: "f", to: "v")
                let error = try await #require(throws: RedisError.self) { try await redis.send("INCR", "h") }
                #expect(error.kind == .serverError)
                #expect(error.serverCode == "WRONGTYPE")
                #expect(error.serverMessage == "WRONGTYPE Operation against a key holding the wrong kind of value")
                #expect(error.command == "INCR")
                #expect(error.endpoint == "127.0.0.1:\(server.port)")
                #expect(error.description.contains("WRONGTYPE"))
                let unknown = try await #require(throws: RedisError.self) { try await redis.send("NOSUCHCOMMAND") }
                #expect(unknown.serverCode == "ERR")
            }
        }
    }

    @Test func pipelineKeepsOrderAndIsolatesFailures() async throws {
        try await withServer(await RedisServer.start()) { server in
            try await withClient(try testConfiguration(server.url)) { redis in
                try await redis.hset("hash", field: "f", to: "v")
                var commands: [RedisCommand] = []
                for index in 0..<5_000 {
                    commands.append(.set(RESPArgument("p:\(index)"), to: RESPArgument(index)))
                    commands.append(RedisCommand("INCR", [RESPArgument("p:\(index)")]))
                }
                commands.insert(RedisCommand("INCR", ["hash"]), at: 777)
                let results = try await redis.pipeline(commands)
                #expect(results.count == commands.count)
                var failures = 0
                var next = 0
                for (offset, result) in results.enumerated() {
                    if offset == 777 {
                        guard case .failure(let error) = result else {
                            Issue.record("INCR on a hash must fail")
                            continue
                        }
                        #expect(error.serverCode == "WRONGTYPE")
                        #expect(error.command == "INCR")
                        failures += 1
                        continue
                    }
                    let value = try result.get()
                    if commands[offset].name == "INCR" {
                        #expect(value.int == next + 1)
                        next += 1
                    } else {
                        #expect(value == .simpleString("OK"))
                    }
                }
                #expect(failures == 1)
                #expect(next == 5_000)

                // A transaction inside one batch is contiguous on one connection.
                let transaction = try await redis.pipeline([
                    RedisCommand("MULTI"), RedisCommand("INCR", ["tx"]), RedisCommand("INCR", ["tx"]), RedisCommand("EXEC"),
                ])
                #expect(try transaction[3].get() == .array([.integer(1), .integer(2)]))
            }
        }
    }

    @Test func futureAPIForEventLoopCallers() async throws {
        try await withServer(await RedisServer.start()) { server in
            try await withClient(try testConfiguration(server.url)) { redis in
                let eventLoop = redis.configuration.eventLoopGroup.next()
                let results = try await redis.pipeline([.set("f", to: 1), RedisCommand("INCR", ["f"]),
                                                        RedisCommand("HGET", ["f", "x"])], on: eventLoop).get()
                #expect(try results[1].get() == .integer(2))
                guard case .failure(let error) = results[2] else {
                    Issue.record("HGET on a string must fail")
                    return
                }
                #expect(error.serverCode == "WRONGTYPE" && error.command == "HGET")
                let value = try await redis.send(.get("f"), on: eventLoop).get()
                #expect(value.string == "2")
                await #expect(throws: RedisError.self) { try await redis.send(RedisCommand("INCR", ["nope", "x"]), on: eventLoop).get() }
            }
        }
    }

    @Test func concurrentCallersGetTheirOwnReplies() async throws {
        try await withServer(await RedisServer.start()) { server in
            try await withClient(try testConfiguration(server.url) { $0.poolSize = 3 }) { redis in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<40 {
                        group.addTask {
                            for index in 0..<100 {
                                let value = "w\(worker)-\(index)"
                                let reply = try await redis.send("ECHO", RESPArgument(value))
                                #expect(reply.string == value)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let clients = try await redis.send("CLIENT", "LIST").string ?? ""
                #expect(clients.split(separator: "\n").count >= 3)
            }
        }
    }

    @Test func droppedClientClosesItsConnections() async throws {
        try await withServer(await RedisServer.start()) { server in
            func clients() async throws -> Int {
                let info = try await server.cli("INFO", "clients")
                let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("connected_clients:") } ?? ""
                return Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
            }
            do {
                let client = try await RedisClient.connect(try testConfiguration(server.url) { $0.poolSize = 3 })
                try await waitUntil("three connections") { try await clients() >= 4 }
                try await client.ping()
            }
            try await waitUntil("the dropped client's connections to close") { try await clients() == 1 }
        }
    }

    @Test func configurationDescriptionHidesSecrets() throws {
        var configuration = try RedisConfiguration(url: "redis://app:hunter2@h:1/2")
        configuration.sentinelPassword = "other-secret"
        #expect(!configuration.description.contains("hunter2"))
        #expect(!configuration.description.contains("other-secret"))
        #expect(configuration.description.hasPrefix("redis://app:***@h:1/2"))
    }

    @Test func unixSocket() async throws {
        try await withServer(await RedisServer.start(unixSocket: true)) { server in
            #expect(server.url.hasPrefix("unix://"))
            try await withClient(try testConfiguration(server.url + "?db=2")) { redis in
                try await redis.set("over", to: "unix")
                #expect(try await redis.getString("over") == "unix")
                #expect(redis.health.endpoint?.hasPrefix("unix:") == true)
            }
            #expect(try await server.cli("-n", "2", "GET", "over") == "unix")
        }
    }

    @Test func databaseAndClientName() async throws {
        try await withServer(await RedisServer.start()) { server in
            try await withClient(try testConfiguration(server.url + "/3?client_name=mqtop-test")) { redis in
                try await redis.set("in-three", to: "yes")
                let list = try await redis.send("CLIENT", "LIST").string ?? ""
                #expect(list.contains("name=mqtop-test"))
                #expect(list.contains("db=3"))
            }
            #expect(try await server.cli("-n", "3", "GET", "in-three") == "yes")
            #expect(try await server.cli("GET", "in-three") == "")
        }
    }
}
