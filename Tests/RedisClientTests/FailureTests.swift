import Foundation
import NIOCore
import RedisClient
import Testing
import TestSupport

@Suite("Failures: auth, timeouts, outages")
struct FailureTests {
    @Test("password and ACL user", arguments: [2, 3])
    func authentication(protocolVersion: Int) async throws {
        try await withServer(await RedisServer.startWithACL()) { server in
            let base = "127.0.0.1:\(server.port)?protocol=\(protocolVersion)"
            try await withClient(try testConfiguration("redis://:\(RedisACL.defaultPassword)@" + base)) { redis in
                try await redis.set("anything", to: "ok")
                #expect(try await redis.getString("anything") == "ok")
            }
            try await withClient(try testConfiguration("redis://\(RedisACL.user):\(RedisACL.userPassword)@" + base)) { redis in
                try await redis.hset("mqtt:client:c1", field: "state", to: "online")
                #expect(try await redis.hget("mqtt:client:c1", field: "state").map { String(buffer: $0) } == "online")
                let denied = try await #require(throws: RedisError.self) { try await redis.set("elsewhere", to: "x") }
                #expect(denied.kind == .serverError)
                #expect(denied.serverCode == "NOPERM")
                #expect(denied.serverMessage?.contains("keys") == true)
                #expect(denied.command == "SET")
            }

            let wrong = try await #require(throws: RedisError.self) {
                _ = try await RedisClient.connect(try testConfiguration("redis://app:not-the-Pw42@" + base))
            }
            #expect(wrong.kind == .connectionFailed)
            #expect(wrong.serverCode == "WRONGPASS")
            #expect(wrong.serverMessage == "WRONGPASS invalid username-password pair or user is disabled.")
            #expect(!wrong.description.contains("not-the-Pw42"))

            let anonymous = try await #require(throws: RedisError.self) {
                if protocolVersion == 2 {
                    // RESP2 has no handshake to fail: the first command gets NOAUTH.
                    let client = try RedisClient(configuration: try testConfiguration("redis://" + base))
                    defer { Task { await client.close() } }
                    try await client.send("GET", "x")
                } else {
                    _ = try await RedisClient.connect(try testConfiguration("redis://" + base))
                }
            }
            #expect(anonymous.serverCode == "NOAUTH")
        }
    }

    @Test func commandTimeoutReplacesTheConnectionAndFailsEveryoneBehind() async throws {
        try await withServer(await RedisServer.start()) { server in
            let configuration = try testConfiguration(server.url) {
                $0.poolSize = 1
                $0.commandTimeout = .milliseconds(300)
                // The background PING could time out first on a loaded machine and close the connection
                // under the commands; this test is about the command timeout alone.
                $0.healthCheckInterval = nil
            }
            try await withClient(configuration) { redis in
                // The server stops answering (CLIENT PAUSE holds every client's commands); two commands queue
                // on the one connection. Whichever is first times out; the other, behind it, fails too. The
                // pause is long beside the 300 ms timeout, so a loaded machine that runs this test late
                // still sends both while it lasts (CLIENT UNPAUSE would wait for the pause itself).
                try await server.cli("CLIENT", "PAUSE", "4000", "ALL")
                async let first = Result { try await redis.send("GET", "a") }
                async let second = Result { try await redis.send("GET", "b") }
                let kinds = await [first, second].compactMap { ($0.failureValue as? RedisError)?.kind }
                #expect(kinds.count == 2, "both commands must fail")
                #expect(kinds.contains(.timeout))
                #expect(kinds.allSatisfy { [.timeout, .connectionClosed].contains($0) })
                try await waitUntil("a new connection to answer", timeout: .seconds(10)) {
                    (try? await redis.send("PING")) != nil
                }
                #expect(redis.health.lastError?.kind == .timeout || redis.health.lastError?.kind == .connectionClosed)
            }
        }
    }

    @Test func connectAndSetupTimeouts() async throws {
        let silent = try RedisSilentServer()
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: RedisError.self) {
            _ = try await RedisClient.connect(try testConfiguration(silent.url) { $0.connectTimeout = .milliseconds(300) })
        }
        #expect(error.kind == .timeout)
        #expect(error.endpoint == "127.0.0.1:\(silent.port)")
        // Not a timed test: the bound only proves the setup gives up instead of hanging (the loaded CI
        // machine can take seconds to fire a 300 ms timer when every test runs at once).
        #expect(clock.now - start < .seconds(15))
    }

    @Test func unreachableServerFailsClearlyAndFast() async throws {
        // Bound and not listening for the whole test: a free port could be taken by another test's server.
        let down = try RefusingPort()
        let port = down.port
        let configuration = try testConfiguration("redis://127.0.0.1:\(port)")
        let error = try await #require(throws: RedisError.self) { _ = try await RedisClient.connect(configuration) }
        #expect(error.kind == .connectionFailed)
        #expect(error.endpoint == "127.0.0.1:\(port)")
        #expect(error.message.lowercased().contains("refused"))

        let client = try RedisClient(configuration: configuration)
        _ = try? await client.waitUntilConnected()
        let clock = ContinuousClock()
        let start = clock.now
        let fast = try await #require(throws: RedisError.self) { try await client.send("PING") }
        // notConnected means it was refused at once, not sent and left to time out (that would be .timeout).
        #expect(fast.kind == .notConnected)
        #expect(clock.now - start < .seconds(10))
        #expect(fast.description.contains("refused"))
        #expect(client.health.state == .reconnecting)
        await client.close()
        let closed = try await #require(throws: RedisError.self) { try await client.send("PING") }
        #expect(closed.kind == .closed)
        down.release()
        #expect(client.health.state == .closed)
    }

    /// Kill -9 during load: every command in flight completes (success or a clear error), commands fail
    /// fast while down, and the client is back by itself after the restart.
    @Test func killAndRestartDuringUse() async throws {
        let server = try await RedisServer.start()
        let port = server.port
        let configuration = try testConfiguration(server.url) {
            $0.poolSize = 2
            $0.healthCheckInterval = .milliseconds(50)
        }
        let redis = try await RedisClient.connect(configuration)
        let updates = redis.healthUpdates()
        var restarted: RedisServer?
        do {
            let before = redis.health.generation
            let load = Task {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for worker in 0..<20 {
                        group.addTask {
                            var failures = 0
                            for index in 0..<300 {
                                do {
                                    try await redis.set(RESPArgument("w\(worker):\(index)"), to: RESPArgument(index))
                                } catch let error as RedisError {
                                    #expect([.connectionClosed, .notConnected, .timeout].contains(error.kind), "\(error)")
                                    failures += 1
                                }
                            }
                            return failures
                        }
                    }
                    return try await group.reduce(0, +)
                }
            }
            try await waitUntil("some writes", timeout: .seconds(5)) {
                (try? await server.cli("DBSIZE")).flatMap { Int($0) }.map { $0 > 100 } ?? false
            }
            await server.kill()
            let failures = try await withTimeout("every in-flight command to complete", .seconds(10)) {
                try await load.value
            }
            #expect(failures > 0)
            _ = try await waitForHealth(updates, "reconnecting") { $0.state == .reconnecting }
            let error = try await #require(throws: RedisError.self) { try await redis.send("PING") }
            #expect(error.kind == .notConnected)

            restarted = try await RedisServer.start(directory: server.directory, port: port)
            let back = try await waitForHealth(updates, "connected again") { $0.state == .connected }
            #expect(back.generation > before)
            #expect(back.lastError != nil)
            try await redis.set("after", to: "restart")
            #expect(try await redis.getString("after") == "restart")
            _ = try await waitForHealth(updates, "a latency sample") { $0.latency != nil }
        } catch {
            await redis.close()
            await restarted?.stop()
            await server.stopAndRemove()
            throw error
        }
        await redis.close()
        await restarted?.stop()
        await server.stopAndRemove()
    }
}

extension Result where Failure == any Error {
    var failureValue: (any Error)? {
        if case .failure(let error) = self { return error }
        return nil
    }

    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
