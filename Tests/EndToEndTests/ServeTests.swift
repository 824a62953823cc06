import Foundation
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// `mqtop serve` as a process: its backend, its private redis-server, its shutdown.
@Suite struct ServeTests {
    @Test func sigtermSendsServerShuttingDownToV5Clients() async throws {
        let (mqtop, port) = try await MQTopBinary.serve(["--no-backend"])
        let client = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "leaving"))
        mqtop.signal(SIGTERM)
        let reason = try await withTimeout("DISCONNECT from a stopping broker") {
            for await event in client.events {
                if case .disconnected(let reason) = event { return reason }
            }
            return ReasonCode.unspecifiedError
        }
        #expect(reason == .serverShuttingDown)
        #expect(try await mqtop.waitForExit() == 0)
    }

    @Test func defaultModeRunsAPrivateRedisAndLeavesNothingBehind() async throws {
        let data = try TemporaryDirectory(prefix: "mqtop-data")
        defer { data.remove() }
        let (mqtop, port) = try await MQTopBinary.serve(["--data-dir", data.path])
        let socket = data.file("redis.sock")
        #expect(mqtop.outputText.contains("private redis-server ready"))
        let device = try await MosquittoSubscriber.start(port: port, ["-i", "device-1", "-q", "1", "-t", "queue/jobs"])
        try await waitUntil("mqtt:client:device-1 online in the private Redis") {
            let result = try await runCommand("redis-cli", ["-s", socket, "HGET", "mqtt:client:device-1", "state"])
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }
        let redisPID = try #require(Int32((try String(contentsOfFile: data.file("redis.pid"), encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        mqtop.signal(SIGTERM)
        #expect(try await mqtop.waitForExit(timeout: .seconds(20)) == 0)
        // The device's disconnect was flushed before Redis stopped, and Redis is gone.
        #expect(kill(redisPID, 0) != 0)
        await device.stop()
        // AOF kept the data: a fresh private server on the same directory has it.
        let (again, _) = try await MQTopBinary.serve(["--data-dir", data.path])
        let state = try await runCommand("redis-cli", ["-s", socket, "HGET", "mqtt:client:device-1", "state"])
        #expect(state.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        again.signal(SIGTERM)
        #expect(try await again.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test func killedMQTopTakesItsRedisWithIt() async throws {
        let data = try TemporaryDirectory(prefix: "mqtop-data")
        defer { data.remove() }
        let (mqtop, _) = try await MQTopBinary.serve(["--data-dir", data.path])
        let redisPID = try #require(Int32((try String(contentsOfFile: data.file("redis.pid"), encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        mqtop.signal(SIGKILL)
        _ = try await mqtop.waitForExit()
        try await waitUntil("redis-server gone after mqtop was killed") { kill(redisPID, 0) != 0 }
    }

    @Test func secondInstanceOnTheSameDataDirectoryIsRefusedClearly() async throws {
        let data = try TemporaryDirectory(prefix: "mqtop-data")
        defer { data.remove() }
        let (first, _) = try await MQTopBinary.serve(["--data-dir", data.path])
        let second = try ChildProcess(MQTopBinary.path, ["serve", "--listen", "127.0.0.1:0",
                                                          "--data-dir", data.path])
        #expect(try await second.waitForExit() != 0)
        #expect(second.outputText.contains("another mqtop is using the private Redis"))
        first.signal(SIGTERM)
        _ = try await first.waitForExit(timeout: .seconds(20))
    }
}
