import Foundation
import Testing
import TestSupport

/// `mqtop attach … --mqtt`: the traffic and `$SYS` figures of a real mosquitto broker next to the Redis.
@Suite struct AttachTrafficTests {
    enum Link { case tcp, webSocket }

    /// `mqtop attach` on a fresh Redis in tmux, with `--mqtt` to a fresh mosquitto over `link` when given;
    /// quits with `q` after `body`, checks the exit, stops everything.
    func withAttach(_ link: Link?, _ body: (TmuxSession, MosquittoBroker?) async throws -> Void) async throws {
        let broker = link == nil ? nil : try await MosquittoBroker.start()
        let redis = try await RedisServer.start()
        var command = "\(MQTopBinary.path) attach \(redis.url) --log-file "
            + FileManager.default.temporaryDirectory.path + "/mqtop-attach-\(UUID().uuidString.prefix(6)).log"
        if let broker, let link {
            command += link == .tcp ? " --mqtt mqtt://127.0.0.1:\(broker.port)"
                : " --mqtt ws://127.0.0.1:\(broker.webSocketPort)"
        }
        let tmux = try await TmuxSession(command, width: 120, height: 40, environment: ["LANG": "C.UTF-8"])
        try await tmux.send("5")
        try await body(tmux, broker)
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
        await broker?.stop()
        await redis.stopAndRemove()
    }

    @Test func mosquittoTrafficSysFiguresAndPublishOverMQTT() async throws {
        try await withAttach(.tcp) { tmux, broker in
            let broker = try #require(broker)
            // mosquitto's $SYS tree reaches the figures line and the pane: the subscription stands.
            try await tmux.waitFor("node mosquitto version")
            try await tmux.waitFor("$SYS/broker/uptime")
            for index in 1...5 {
                try await mosquittoPub(port: broker.port, ["-t", "plant/line-1/speed", "-q", "1", "-m", "speed \(index)"])
            }
            do {
                try await tmux.waitForScreen("plant/line-1/speed with 5 messages at QoS 1") { screen in
                    screen.split(separator: "\n").contains {
                        $0.contains("plant/line-1/speed") && $0.contains(" 5 ") && $0.contains("speed 5") && $0.contains(" 1 ")
                    }
                }
            } catch {
                Issue.record("mosquitto's log:\n\(broker.log)")
                throw error
            }
            // P goes out over the --mqtt connection.
            let subscriber = try await MosquittoSubscriber.start(port: broker.port, ["-t", "plant/cmd"])
            try await tmux.send("P")
            try await tmux.waitFor("Publish")
            try await tmux.send("BTab")
            for _ in 0..<40 { try await tmux.send("BSpace") }
            try await tmux.send("plant/cmd", literal: true)
            try await tmux.send("Tab")
            try await tmux.send("stop", literal: true)
            try await tmux.send("Enter")
            try await tmux.waitFor("will publish: topic plant/cmd qos 0 payload 'stop'")
            try await tmux.send("y")
            #expect(try await subscriber.waitForMessages(1) == ["plant/cmd stop"])
            await subscriber.stop()
            // k has no connections to end in attach mode, and says so.
            try await tmux.send("1")
            try await tmux.send("k")
            try await tmux.waitFor("kick works on the embedded broker only")
        }
    }

    @Test func overWebSocketToo() async throws {
        try await withAttach(.webSocket) { tmux, broker in
            let broker = try #require(broker)
            try await tmux.waitFor("node mosquitto version")
            // Application topics sort before the broker's own $SYS figures, so it shows at the top.
            try await mosquittoPub(port: broker.port, ["-t", "ws/check", "-m", "over websocket"])
            try await tmux.waitFor("over websocket")
        }
    }

    @Test func withoutMQTTThePaneSaysHowToSeeTraffic() async throws {
        try await withAttach(nil) { tmux, _ in
            try await tmux.waitFor("add --mqtt mqtt://HOST:1883")
            try await tmux.send("P")
            try await tmux.waitFor("nothing to publish through")
        }
    }
}
