import Foundation
import Testing
import TestSupport

/// The embedded console of one node lists the cluster's nodes, their clients, and a node that died.
@Suite struct ClusterConsoleTests {
    @Test func theHeaderListsTheNodesAndShowsOneGo() async throws {
        let redis = try await RedisServer.start()
        let data = try TemporaryDirectory(prefix: "mqtop-cluster-console")
        defer { data.remove() }
        let (other, otherPort) = try await MQTopBinary.serve(["--cluster", "fleet", "--node", "edge-2", "--redis", redis.url])
        let tmux = try await TmuxSession(
            "\(MQTopBinary.path) --listen 127.0.0.1:0 --cluster fleet --node edge-1 --redis \(redis.url) --log-file \(data.file("log"))",
            width: 160, environment: ["LANG": "C.UTF-8"])
        let device = try await MosquittoSubscriber.start(port: otherPort, ["-i", "dev-42", "-q", "1", "-t", "cmd/#"])
        try await tmux.waitFor("cluster fleet: edge-1 ● 0 edge-2 ● 1")
        // The Clients pane says which node each client is on, this console's or another.
        try await tmux.waitForScreen("dev-42 online on edge-2") { screen in
            screen.split(separator: "\n").contains { $0.contains("dev-42") && $0.contains("online") && $0.contains("edge-2") }
        }
        other.signal(SIGKILL)
        _ = try await other.waitForExit()
        // Gone once its heartbeat key ran out (for a heartbeat or two: `ClusterSweepTests` shows that
        // state), then removed by the survivor, this console's node.
        let header = { (screen: String) in screen.split(separator: "\n").first.map(String.init) ?? "" }
        try await tmux.waitForScreen("edge-2 removed", timeout: .seconds(30)) { screen in
            header(screen).contains("cluster fleet: edge-1 ● 0") && !header(screen).contains("edge-2")
        }
        await device.kill()
        try await tmux.send("q")
        #expect(try await tmux.waitForExit() == 0)
        await redis.stopAndRemove()
    }
}
