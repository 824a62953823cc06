import Logging
import Monitor
import RedisClient
import Testing
import TestSupport

/// The header's node list comes from the cluster's keys: the nodes hash, heartbeat keys, `mqtt:node:*`.
@Suite struct ClusterSweepTests {
    @Test func nodesAreAliveWhileTheirHeartbeatKeyIsThere() async throws {
        let redis = try await RedisServer.start()
        for command in [
            ["HSET", "mqtop:cluster:fleet:nodes", "n1", "{}", "n2", "{}"],
            ["SET", "mqtop:cluster:fleet:alive:n1", "i1", "PX", "60000"],
            ["HSET", "mqtt:node:n1", "a", "1", "b", "1"],
            ["HSET", "mqtt:node:n2", "c", "1"],
            // Another cluster on the same Redis is not listed.
            ["HSET", "mqtop:cluster:other:nodes", "x", "{}"],
        ] { try await redis.cli(command) }
        let client = try RedisClient(configuration: RedisConfiguration(url: redis.url))
        let monitor = RedisMonitor(client: client, options: .init(mode: .attach, endpoint: redis.url, cluster: "fleet"),
                                   logger: Logger(label: "test.monitor"))
        try await monitor.sweepOnce { _ in }
        #expect(monitor.snapshot.header.cluster == ClusterHeader(name: "fleet", nodes: [
            ClusterNodeRow(name: "n1", alive: true, clients: 2),
            ClusterNodeRow(name: "n2", alive: false, clients: 1),
        ]))
        await client.close()
        await redis.stopAndRemove()
    }
}
