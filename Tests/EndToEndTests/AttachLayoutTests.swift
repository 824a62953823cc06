import Foundation
import Testing
import TestSupport

/// `mqtop attach` over a Redis written by each EMQX generation: the right layout is picked and named in
/// the header, and the panes show what that layout keeps (and say what it does not).
@Suite struct AttachLayoutTests {
    static var nowMillis: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A fresh Redis holding `commands`, the console attached to it in tmux with `flags`.
    func withAttach(_ commands: [[String]], flags: String = "",
                    _ body: (TmuxSession, RedisServer) async throws -> Void) async throws {
        let redis = try await RedisServer.start()
        for command in commands { try await redis.cli(command) }
        let log = FileManager.default.temporaryDirectory.path + "/mqtop-layout-\(UUID().uuidString.prefix(6)).log"
        let tmux = try await TmuxSession("\(MQTopBinary.path) attach \(redis.url) --log-file \(log) \(flags)",
                                         width: 150, height: 40, environment: ["LANG": "C.UTF-8"])
        try await body(tmux, redis)
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await tmux.stop()
        await redis.stopAndRemove()
    }

    /// The cells of `topic`'s row in the Queues pane (bottom right): topic, depth, oldest age.
    static func queueRow(_ screen: String, topic: String) -> [String] {
        let lines = screen.split(separator: "\n")
        guard let title = lines.firstIndex(where: { $0.contains("4 Queues") }) else { return [] }
        for line in lines[title...] {
            guard let pane = line.components(separatedBy: "││").last else { continue }
            let cells = pane.replacingOccurrences(of: "▌", with: " ").split(separator: "│").first?
                .split(separator: " ").map(String.init) ?? []
            if cells.first == topic { return cells }
        }
        return []
    }

    @Test(arguments: LayoutFixture.allCases)
    func autoPicksTheLayoutAndShowsWhatItKeeps(_ fixture: LayoutFixture) async throws {
        let expected = fixture.expected
        try await withAttach(fixture.commands(now: Self.nowMillis)) { tmux, _ in
            let messages = "1 topic · \(expected.depth) \(expected.depth == 1 ? "msg" : "msgs")"
            let screen = try await tmux.waitForScreen("the \(fixture) sweep") {
                $0.contains(messages) && !$0.contains("partial")
            }
            #expect(screen.contains("layout \(expected.layoutName) (auto)"), "\(screen)")
            #expect(screen.contains(expected.clientsTitle))
            #expect(screen.contains(expected.subscription))
            #expect(Self.queueRow(screen, topic: expected.queueTopic) == [expected.queueTopic, String(expected.depth),
                                                                         expected.oldestAge],
                    "queue row in \(screen)")
            if let retained = expected.retainedTopic {
                #expect(screen.contains(retained))
            } else {
                #expect(screen.contains("Retained  not kept by this layout"))
                #expect(screen.contains("? unknown"))
            }
            #expect(!screen.contains("mixed"))
        }
    }

    @Test func pluginPrefixesAndTTLFromFlags() async throws {
        // The 6.x plugin with its own prefixes and a one-hour TTL: the message published 23 minutes ago is
        // live, the 4-minute one too; with --message-ttl 600 only the 4-minute one is.
        let renamed = LayoutFixture.omp6.commands(now: Self.nowMillis).map { command in
            command.map { word in
                word.hasPrefix("mqtt:sub:") ? "fleet:subs:" + word.dropFirst(9)
                    : word.hasPrefix("mqtt:msg:") ? "fleet:msgs:" + word.dropFirst(9) : word
            }
        }
        let flags = "--layout omp6 --sub-prefix fleet:subs --msg-prefix fleet:msgs --message-ttl 600"
        try await withAttach(renamed, flags: flags) { tmux, _ in
            let screen = try await tmux.waitForScreen("the sweep") { $0.contains("1 topic · 1 msg") && !$0.contains("partial") }
            #expect(screen.contains("layout omp 6.x (--layout)"))
            #expect(screen.contains("online ? · known 2"))
            #expect(Self.queueRow(screen, topic: "t/1/temp") == ["t/1/temp", "1", "4m"])
        }
    }

    @Test func aMixedKeyspaceIsReportedNotMerged() async throws {
        // An EMQX 4 → 6 upgrade left both: the 4.x queue is read, the plugin's queue is named, not added.
        let now = Self.nowMillis
        try await withAttach(LayoutFixture.emqx4Seconds.commands(now: now) + LayoutFixture.omp6.commands(now: now)) { tmux, _ in
            let screen = try await tmux.waitForScreen("the sweep") { $0.contains("1 topic · 3 msgs") && !$0.contains("partial") }
            #expect(screen.contains("layout emqx4 (auto)"))
            #expect(screen.contains("mixed: 1 omp queue not shown"))
            #expect(Self.queueRow(screen, topic: "t/1/temp").isEmpty)
            #expect(Self.queueRow(screen, topic: "queue/jobs") == ["queue/jobs", "3", "42m"])
        }
    }

    @Test func subscribeInThePluginLayoutWritesTheHashOnly() async throws {
        try await withAttach(LayoutFixture.omp5.commands(now: Self.nowMillis)) { tmux, redis in
            try await tmux.waitFor("layout omp 5.x (auto)")
            try await tmux.waitForScreen("clients listed") { $0.contains("dev-1") && !$0.contains("partial") }
            try await tmux.send("s")
            try await tmux.waitFor("Subscribe")
            try await tmux.send("cmd/dev-1", literal: true)
            try await tmux.send("Enter")
            let confirm = try await tmux.waitFor("HSET mqtt:sub:dev-1 cmd/dev-1 1")
            #expect(!confirm.contains("PUBLISH"), "the plugin listens on no channel")
            try await tmux.send("y")
            try await waitUntil("mqtt:sub:dev-1 cmd/dev-1 stored") {
                (try? await redis.cli("HGET", "mqtt:sub:dev-1", "cmd/dev-1")) == "1"
            }
        }
    }

    @Test(arguments: [
        (["--layout", "emqx5"], "--layout emqx5: expected auto, emqx4, omp, omp5 or omp6"),
        (["--message-ttl", "0"], "--message-ttl 0: expected seconds above 0"),
        (["--sub-prefix", "mqtt:*"], "--sub-prefix 'mqtt:*': expected a key prefix without glob characters"),
    ])
    func badLayoutFlagsAreRefusedByName(_ flags: [String], _ message: String) async throws {
        let (status, output) = try await runCommand(MQTopBinary.path, ["attach", "redis://127.0.0.1:1"] + flags)
        #expect(status != 0)
        #expect(output.contains(message), "\(output)")
    }
}
