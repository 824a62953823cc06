import EMQXLayout
import Foundation
import Logging
import Monitor
import RedisClient
import RESP
import Testing
import TestSupport

/// Honest sweeps: progress while the first walk runs, no count shown as final before it is, and the
/// layouts read over a cluster and through sentinel the same way.
@Suite struct ScanProgressTests {
    static func fill(_ client: RedisClient, _ commands: [[String]]) async throws {
        for chunk in stride(from: 0, to: commands.count, by: 500) {
            let part = commands[chunk..<min(chunk + 500, commands.count)]
            for result in try await client.pipeline(part.map { RedisCommand($0[0], $0.dropFirst().map { RESPArgument($0) }) }) {
                _ = try result.get()
            }
        }
    }

    @Test func pagesCarryProgressUpToOneOnTheLastPage() async throws {
        let redis = try await RedisServer.start()
        let client = try RedisClient(configuration: RedisConfiguration(url: redis.url))
        try await Self.fill(client, (0..<3000).map { ["SET", "k:\($0)", "v"] })
        var progress: [Double] = []
        var keys = Set<String>()
        for try await page in client.scanPages(match: "k:*", count: 100) {
            progress.append(page.progress)
            keys.formUnion(page.keys)
        }
        #expect(keys.count == 3000)
        #expect(progress.count > 10)
        #expect(progress.last == 1)
        #expect(progress.dropLast().allSatisfy { $0 < 1 })
        #expect(zip(progress, progress.dropFirst()).allSatisfy { $0 <= $1 })
        await client.close()
        await redis.stopAndRemove()
    }

    @Test func theFirstSweepSaysItIsPartialAndLaterOnesNeverShrink() async throws {
        let redis = try await RedisServer.start()
        let client = try RedisClient(configuration: RedisConfiguration(url: redis.url))
        try await Self.fill(client, (0..<4000).map { ["HSET", "mqtt:client:c\($0)", "state", "1", "online_at", "1700000000"] })
        let monitor = RedisMonitor(client: client, options: .init(mode: .attach, endpoint: redis.url, batch: 50,
                                                                   layout: .fixed(.emqx4)),
                                   logger: Logger(label: "test.scan"))
        let posts = LockedBox<[DashboardSnapshot]>([])
        try await monitor.sweepOnce { snapshot in posts.withLock { $0.append(snapshot) } }
        let first = posts.withLock { $0 }
        // Partial posts say so, with a share below 1; a count without the mark is the whole keyspace's.
        let partial = first.filter { $0.scanning[.clients] != nil }
        #expect(partial.contains { ($0.scanning[.clients] ?? 1) < 1 })
        #expect(first.filter { $0.scanning[.clients] == nil && $0.sweptAt == nil && !$0.clients.isEmpty }
            .allSatisfy { $0.clients.count == 4000 })
        #expect(first.last?.scanning.isEmpty == true)
        #expect(first.last?.clients.count == 4000)

        posts.withLock { $0 = [] }
        try await monitor.sweepOnce { snapshot in posts.withLock { $0.append(snapshot) } }
        let second = posts.withLock { $0 }
        #expect(!second.isEmpty)
        #expect(second.allSatisfy { $0.scanning.isEmpty && $0.clients.count == 4000 })
        await client.close()
        await redis.stopAndRemove()
    }

    func sweep(url: String, fixture: LayoutFixture) async throws -> DashboardSnapshot {
        let client = try RedisClient(configuration: RedisConfiguration(url: url))
        try await Self.fill(client, fixture.commands(now: Int64(Date().timeIntervalSince1970 * 1000)))
        let monitor = RedisMonitor(client: client, options: .init(
            mode: .attach, endpoint: url,
            layout: .auto(omp: OfflineMessageLayout(score: .publishTime), ttlGiven: false)),
            logger: Logger(label: "test.scan"))
        try await monitor.sweepOnce { _ in }
        await client.close()
        return monitor.snapshot
    }

    @Test func thePluginLayoutOverACluster() async throws {
        let cluster = try await RedisClusterFixture.start(masters: 3)
        for fixture in [LayoutFixture.omp5, .omp6] {
            let snapshot = try await sweep(url: cluster.url, fixture: fixture)
            #expect(snapshot.header.layout?.layout.name == fixture.expected.layoutName)
            #expect(snapshot.queues.map(\.depth) == [fixture.expected.depth])
            #expect(snapshot.clients.count == 2 && snapshot.clients.allSatisfy { $0.presence == .unknown })
            #expect(snapshot.subscriptions.count == 3)
            for node in cluster.nodes { _ = try await node.cli("FLUSHALL") }
        }
        await cluster.stop()
    }

    @Test func thePluginLayoutThroughSentinel() async throws {
        let group = try await RedisSentinelGroup.start()
        let snapshot = try await sweep(url: group.url, fixture: .omp6)
        #expect(snapshot.header.layout?.layout.name == "omp 6.x")
        #expect(snapshot.queues.map(\.depth) == [2])
        #expect(snapshot.clients.map(\.clientID) == ["dev-1", "dev-2"])
        await group.stop()
    }
}
