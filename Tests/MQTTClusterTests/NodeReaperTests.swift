@testable import MQTTCluster
import Testing
import TestSupport

/// A node whose heartbeat key ran out is dead: one survivor marks its clients offline in the EMQX layout,
/// except those online on a live node by now, and removes it from the cluster.
@Suite struct NodeReaperTests {
    @Test func aDeadNodesClientsAreMarkedOfflineByASurvivor() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let redis = fixture.redis
        // A node that wrote its clients, and died: its heartbeat key is gone. Its entry in the nodes hash
        // comes last, as the survivors start counting its missed heartbeats from there.
        _ = try await redis.cli(["HSET", "mqtop:cluster:test:routes:ghost", "g/#", "1", "#inc", "x", "#seq", "1"])
        _ = try await redis.cli(["HSET", "mqtt:node:ghost", "dev-1", "100", "dev-2", "100"])
        _ = try await redis.cli(["HSET", "mqtt:client:dev-1", "state", "1", "online_at", "100", "offline_at", "undefined"])
        _ = try await redis.cli(["HSET", "mqtt:client:dev-2", "state", "1", "online_at", "200", "offline_at", "undefined"])
        // dev-2 already came back, on a.
        _ = try await redis.cli(["HSET", "mqtt:node:a", "dev-2", "200"])
        _ = try await redis.cli(["HSET", "mqtop:cluster:test:nodes", "ghost", "{\"incarnation\":\"x\",\"since\":1}"])
        try await waitUntil("ghost removed from the cluster", timeout: .seconds(10)) {
            let listed = try await redis.cli(["HEXISTS", "mqtop:cluster:test:nodes", "ghost"])
            let locked = try await redis.cli(["EXISTS", "mqtop:cluster:test:reap:ghost"])
            return listed == "0" && locked == "0"
        }
        #expect(try await redis.cli(["HGET", "mqtt:client:dev-1", "state"]) == "0")
        #expect(try await redis.cli(["HGET", "mqtt:client:dev-1", "offline_at"]) != "undefined")
        #expect(try await redis.cli(["HGET", "mqtt:client:dev-2", "state"]) == "1")
        #expect(try await redis.cli(["EXISTS", "mqtt:node:ghost", "mqtop:cluster:test:routes:ghost"]) == "0")
        try await waitUntil("both survivors forgot ghost") {
            !a.cluster.memberList.contains { $0.node == "ghost" } && !b.cluster.memberList.contains { $0.node == "ghost" }
        }
        #expect(a.cluster.routes.nodes(matching: "g/1").isEmpty)
        await a.stop()
        await b.stop()
        await fixture.stop()
    }
}
