import Foundation
import Testing
import TestSupport

/// The console through a failover and an outage: the header says what Redis is doing, logs stay in the
/// log file and never reach the screen, and the console recovers by itself.
@Suite struct ConsoleOutageTests {
    /// Text only a log line has: swift-log's labels and sources, timestamps.
    static let logMarkers = ["mqtop.redis", "[RedisClient]", "[RedisBackend]", "[MQTTBroker]", "[Monitor]", "+0000 ",
                             "lost the connection", "cannot connect to Redis"]

    static func assertNoLogText(_ screen: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for marker in logMarkers {
            #expect(!screen.contains(marker), "log text \"\(marker)\" on screen:\n\(screen)", sourceLocation: sourceLocation)
        }
    }

    /// An online client `id` in the layout, as a broker writes it.
    static func addClient(_ id: String, to redis: RedisServer) async throws {
        try await redis.cli("HSET", "mqtt:client:\(id)", "state", "1", "online_at", "1700000000", "offline_at", "undefined")
    }

    /// `mqtop attach URL` in a terminal, logging to a file in `log`.
    static func attach(_ url: String, log: TemporaryDirectory, _ extra: String = "") async throws -> TmuxSession {
        try await TmuxSession("\(MQTopBinary.path) attach '\(url)' --log-file \(log.file("log")) \(extra)",
                              environment: ["LANG": "C.UTF-8"])
    }

    @Test func attachThroughASentinelFailoverKeepsLogsOffTheScreen() async throws {
        let group = try await RedisSentinelGroup.start()
        let master = try await group.currentMaster()
        try await Self.addClient("dev-1", to: master)
        let log = try TemporaryDirectory(prefix: "mqtop-failover")
        defer { log.remove() }
        let tmux = try await Self.attach(group.url, log: log, "--log-level debug")
        try await tmux.waitFor("online 1 / total 1")
        try await group.failover()
        // The client noticed (its log says so), and the console shows Redis connected again.
        try await waitUntil("the failover in the log", timeout: .seconds(20)) {
            let text = (try? String(contentsOfFile: log.file("log"), encoding: .utf8)) ?? ""
            return text.contains("failover: new master") || text.contains("lost the connection")
        }
        // Written on the new master: on screen only once the console reads there.
        try await Self.addClient("dev-2", to: group.currentMaster())
        let screen = try await tmux.waitForScreen("connected to the new master", timeout: .seconds(30)) {
            $0.contains("(master") && $0.contains("dev-2")
        }
        Self.assertNoLogText(screen)
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
        await group.stop()
    }

    @Test func attachThroughAnOutageShowsItInTheHeaderAndRecovers() async throws {
        let redis = try await RedisServer.start()
        try await Self.addClient("dev-1", to: redis)
        let log = try TemporaryDirectory(prefix: "mqtop-outage")
        defer { log.remove() }
        let tmux = try await Self.attach(redis.url, log: log)
        try await tmux.waitFor("online 1 / total 1")
        await redis.kill()
        let down = try await tmux.waitFor("(down:", timeout: .seconds(20))
        Self.assertNoLogText(down)
        let again = try await RedisServer.start(directory: redis.directory, port: redis.port)
        try await Self.addClient("dev-2", to: again)
        let back = try await tmux.waitForScreen("connected again", timeout: .seconds(20)) {
            $0.contains("(master") && $0.contains("dev-2")
        }
        Self.assertNoLogText(back)
        let text = try String(contentsOfFile: log.file("log"), encoding: .utf8)
        #expect(text.contains("is reachable again"))
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
        await again.stopAndRemove()
    }

    /// The embedded console with `--redis` pointing at a Redis not started yet: it runs, the broker
    /// listens, the header is red until Redis comes, then everything catches up.
    @Test func embeddedConsoleStartsWithRedisDownAndRecovers() async throws {
        let down = try RefusingPort()
        let log = try TemporaryDirectory(prefix: "mqtop-late")
        defer { log.remove() }
        let tmux = try await TmuxSession("\(MQTopBinary.path) --redis redis://127.0.0.1:\(down.port) --listen 127.0.0.1:0 --log-file \(log.file("log"))",
                                         environment: ["LANG": "C.UTF-8"])
        let screen = try await tmux.waitFor("(down:")
        #expect(screen.contains("connection refused"))
        Self.assertNoLogText(screen)
        let port = try await MQTopBinary.listeningPort(log: log.file("log"))
        try await mosquittoPub(port: port, ["-q", "1", "-i", "early", "-t", "queue/early", "-m", "while Redis was down"])
        down.release()
        let redis = try await RedisServer.start(port: down.port)
        let device = try await MosquittoSubscriber.start(port: port, ["-i", "sensor-9", "-q", "1", "-t", "queue/early"])
        #expect(try await device.waitForMessages(1, timeout: .seconds(20)) == ["queue/early while Redis was down"])
        let back = try await tmux.waitForScreen("Redis back and the device shown", timeout: .seconds(20)) {
            $0.contains("(master") && $0.contains("sensor-9")
        }
        Self.assertNoLogText(back)
        await device.stop()
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
        await redis.stopAndRemove()
    }
}
