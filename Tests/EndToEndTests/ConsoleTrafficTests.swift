import Foundation
import MQTTClient
import MQTTCore
import Testing
import TestSupport

/// The Topics pane in a real terminal: traffic from real clients into the embedded broker, `P` reaching
/// a real subscriber, `k` ending a 5.0 client with 0x98.
@Suite struct ConsoleTrafficTests {
    /// The embedded console in tmux and the port its broker listens on.
    static func embedded(_ data: TemporaryDirectory) async throws -> (TmuxSession, Int) {
        let tmux = try await TmuxSession(
            "\(MQTopBinary.path) --listen 127.0.0.1:0 --data-dir \(data.path) --log-file \(data.file("log"))",
            width: 120, height: 40, environment: ["LANG": "C.UTF-8"])
        try await tmux.waitFor("embedded")
        return (tmux, try await MQTopBinary.listeningPort(log: data.file("log")))
    }

    @Test func qos0TrafficShowsWithItsCountAndLastPayloadThenPublishReachesASubscriber() async throws {
        let data = try TemporaryDirectory(prefix: "mqtop-traffic")
        defer { data.remove() }
        let (tmux, port) = try await Self.embedded(data)
        for index in 1...20 {
            try await mosquittoPub(port: port, ["-t", "demo/hello", "-q", "0", "-m", "reading \(index)"])
        }
        try await tmux.send("5")
        // The broker's own figures head the traffic view.
        try await tmux.waitForScreen("the broker figures line") { $0.contains("node mqtop@") && $0.contains("connections ") }
        let screen = try await tmux.waitForScreen("demo/hello with 20 messages") { screen in
            screen.split(separator: "\n").contains { $0.contains("demo/hello") && $0.contains(" 20 ") && $0.contains("reading 20") }
        }
        #expect(screen.contains("5 Topics"))

        // P on the selected topic: the form is prefilled, the confirm line says exactly what goes out.
        let subscriber = try await MosquittoSubscriber.start(port: port, ["-t", "demo/hello", "-q", "1"])
        try await tmux.send("/")
        try await tmux.send("demo/hello", literal: true)
        try await tmux.send("Enter")
        try await tmux.send("P")
        try await tmux.waitFor("Publish")
        try await tmux.send("hello from the console", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("will publish: topic demo/hello qos 0 payload 'hello from the console'")
        try await tmux.send("y")
        let received = try await subscriber.waitForMessages(1)
        #expect(received == ["demo/hello hello from the console"])
        // The console's own message is traffic too, sent as mqtop-console.
        try await tmux.waitForScreen("21 messages on demo/hello") { screen in
            screen.split(separator: "\n").contains { $0.contains("demo/hello") && $0.contains(" 21 ") }
        }
        try await tmux.send("Enter")
        try await tmux.waitFor("from mqtop-console")
        await subscriber.stop()
        try await tmux.send("Escape")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
    }

    @Test func kickEndsAV5ClientWithAdministrativeAction() async throws {
        let data = try TemporaryDirectory(prefix: "mqtop-kick")
        defer { data.remove() }
        let (tmux, port) = try await Self.embedded(data)
        let client = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "device-to-kick"))
        try await tmux.waitFor("device-to-kick")
        try await tmux.send("/")
        try await tmux.send("device-to-kick", literal: true)
        try await tmux.send("Enter")
        try await tmux.send("k")
        try await tmux.waitFor("will disconnect device-to-kick")
        try await tmux.send("y")
        let reason = try await withTimeout("DISCONNECT from the kick") {
            for await event in client.events {
                if case .disconnected(let reason) = event { return reason }
            }
            return ReasonCode.unspecifiedError
        }
        #expect(reason == .administrativeAction)
        try await tmux.waitFor("kicked device-to-kick")

        // A 3.1.1 client has no DISCONNECT from the server: its connection is closed.
        let old = try await MQTTClient.connect(MQTTClientOptions(port: port, version: .v3_1_1, clientID: "device-311"))
        try await tmux.send("Escape")
        try await tmux.send("/")
        try await tmux.send("device-311", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitForScreen("device-311 listed online") { screen in
            screen.split(separator: "\n").contains { $0.contains("device-311") && $0.contains("● online") }
        }
        try await tmux.send("k")
        try await tmux.waitFor("will disconnect device-311")
        try await tmux.send("y")
        let ending = try await withTimeout("the 3.1.1 connection closed") { () -> String in
            for await event in old.events {
                switch event {
                case .disconnected: return "DISCONNECT"
                case .closed: return "closed"
                default: continue
                }
            }
            return "stream ended"
        }
        #expect(ending == "closed")
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
    }
}
