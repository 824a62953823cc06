import Foundation
import RedisClient
import Testing
import TestSupport

/// The console in a real terminal (tmux), against real servers.
@Suite struct ConsoleTests {
    /// A Redis holding the EMQX layout as EMQX would have written it.
    static func emqxRedis() async throws -> RedisServer {
        let redis = try await RedisServer.start()
        for command in [
            ["HSET", "mqtt:client:cli-alpha", "state", "1", "online_at", "1481685802", "offline_at", "undefined"],
            ["HSET", "mqtt:client:设备-01", "state", "1", "online_at", "1700000000123", "offline_at", "undefined"],
            ["HSET", "mqtt:client:cli-gamma", "state", "0", "online_at", "1481685802", "offline_at", "1481685924"],
            ["HSET", "mqtt:node:emqx@10.0.0.1", "cli-alpha", "1481685802"],
            ["HSET", "mqtt:sub:cli-alpha", "sensor/+/temp", "1"],
            ["HSET", "mqtt:sub:cli-gamma", "queue/jobs", "1"],
            ["HSET", "mqtt:retain:rt/kitchen", "id", "6P9NLcJ65VXBbC22sYb4", "from", "cli-alpha", "qos", "1",
             "topic", "rt/kitchen", "retain", "true", "payload", "21.5C", "ts", "1481690659"],
            ["ZADD", "mqtt:msg:queue/jobs", "1", "A0", "1", "A1", "1", "A2", "1", "A3", "1", "A4"],
        ] {
            try await redis.cli(command)
        }
        return redis
    }

    func attach(_ redis: RedisServer, _ extra: String = "") async throws -> TmuxSession {
        let log = FileManager.default.temporaryDirectory.path + "/mqtop-console-\(UUID().uuidString.prefix(6)).log"
        return try await TmuxSession("\(MQTopBinary.path) attach \(redis.url) --log-file \(log) \(extra)",
                                     environment: ["LANG": "C.UTF-8"])
    }

    @Test func attachShowsTheLayoutAndWritesSubscriptionsThroughTheChannel() async throws {
        let redis = try await Self.emqxRedis()
        let channel = try RedisSubscriber(configuration: RedisConfiguration(url: redis.url))
        try await channel.subscribe(["mqtt_channel"])
        let tmux = try await attach(redis)
        // Queues are swept last: once their count shows, the whole sweep is on screen.
        let screen = try await tmux.waitFor("1 topic · 5 msgs")
        #expect(screen.contains("online 2 / total 3"))
        #expect(screen.contains("设备-01"))
        #expect(screen.contains("sensor/+/temp"))
        #expect(screen.contains("rt/kitchen"))
        #expect(screen.contains("21.5C"))
        #expect(screen.contains("queue/jobs"))

        // s on the selected client: the form, the confirm line, then the writes.
        try await tmux.send("s")
        try await tmux.waitFor("Subscribe")
        try await tmux.send("alerts/#", literal: true)
        try await tmux.send("Tab")
        try await tmux.send("BSpace")
        try await tmux.send("2", literal: true)
        try await tmux.send("Enter")
        let confirm = try await tmux.waitFor("HSET mqtt:sub:cli-alpha alerts/# 2")
        #expect(confirm.contains("PUBLISH mqtt_channel"))
        try await tmux.send("y")
        try await waitUntil("mqtt:sub:cli-alpha alerts/# stored") {
            (try? await redis.cli("HGET", "mqtt:sub:cli-alpha", "alerts/#")) == "2"
        }
        let published = try await withTimeout("the subscribe event on mqtt_channel") {
            for await message in channel.messages { return message.text }
            return ""
        }
        #expect(published == #"{"type":"subscribe","topic":"alerts/#","clientid":"cli-alpha","qos":2}"#)

        // u on a selected subscription (alerts/# sorts first once the sweep has it).
        try await tmux.send("2")
        try await tmux.waitFor("alerts/#                   2 stored")
        try await tmux.send("Home")
        try await tmux.send("u")
        try await tmux.waitFor("HDEL mqtt:sub:cli-alpha alerts/#")
        try await tmux.send("y")
        try await waitUntil("alerts/# removed") {
            (try? await redis.cli("HEXISTS", "mqtt:sub:cli-alpha", "alerts/#")) == "0"
        }

        // Resize: every row still fits the new width.
        try await tmux.resize(width: 80, height: 24)
        let small = try await tmux.waitForScreen("a redraw at 80x24") { screen in
            let lines = screen.split(separator: "\n")
            return lines.count >= 20 && lines.allSatisfy { $0.count <= 80 } && screen.contains("Clients")
        }
        #expect(small.contains("online 2 / total 3"))
        try await tmux.resize(width: 60, height: 20)
        try await tmux.waitFor("80x24")

        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        #expect(try await tmux.terminalRestored())
        await tmux.stop()
        await channel.close()
        await redis.stopAndRemove()
    }

    @Test func readonlyRefusesWrites() async throws {
        let redis = try await Self.emqxRedis()
        let tmux = try await attach(redis, "--readonly")
        try await tmux.waitFor("online 2 / total 3")
        try await tmux.send("s")
        try await tmux.waitFor("read-only")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
        await redis.stopAndRemove()
    }

    @Test func embeddedModeShowsAClientComeAndGoThenLeavesNoRedisBehind() async throws {
        let data = try TemporaryDirectory(prefix: "mqtop-data")
        defer { data.remove() }
        let tmux = try await TmuxSession("\(MQTopBinary.path) --listen 127.0.0.1:0 --data-dir \(data.path) --log-file \(data.file("log"))",
                                         environment: ["LANG": "C.UTF-8"])
        try await tmux.waitFor("embedded")
        // The console draws at once; the broker listens once the private Redis is up.
        let port = try await MQTopBinary.listeningPort(log: data.file("log"))
        let device = try await MosquittoSubscriber.start(port: port, ["-i", "sensor-7", "-q", "1", "-t", "cmd/#"])
        try await tmux.waitForScreen("sensor-7 online") { $0.contains("sensor-7") && $0.contains("online 1 / total 1") }
        await device.kill()
        try await tmux.waitFor("online 0 / total 1")
        let redisPID = try #require(Int32((try String(contentsOfFile: data.file("redis.pid"), encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        #expect(kill(redisPID, 0) != 0, "the private redis-server must stop with the console")
        #expect(try await tmux.terminalRestored())
        await tmux.stop()
    }

    @Test func portInUseEndsTheConsoleWithAClearError() async throws {
        let (other, port) = try await MQTopBinary.serve(["--no-backend"])
        let data = try TemporaryDirectory(prefix: "mqtop-data")
        defer { data.remove() }
        let tmux = try await TmuxSession("\(MQTopBinary.path) --listen 127.0.0.1:\(port) --data-dir \(data.path) --log-file \(data.file("log"))",
                                         environment: ["LANG": "C.UTF-8"])
        #expect(try await tmux.waitForExit() != 0)
        #expect(try await tmux.terminalRestored())
        // The error is printed after the terminal is restored, one line that may wrap off the screen's top.
        try await tmux.waitFor("address already in use (another broker on that port? choose one with --listen)",
                               scrollback: true)
        await tmux.stop()
        other.signal(SIGTERM)
        _ = try await other.waitForExit()
    }

    @Test func notATerminalIsAClearError() async throws {
        let (status, output) = try await runCommand(MQTopBinary.path, ["attach", "redis://127.0.0.1:1"])
        #expect(status != 0)
        #expect(output.contains("needs a terminal"))
    }
}
