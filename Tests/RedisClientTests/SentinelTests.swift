import Foundation
import NIOCore
import RedisClient
import Testing
import TestSupport

/// A real sentinel group: a forced failover during writes.
@Suite("Sentinel", .serialized)
struct SentinelTests {
    private struct Write: Sendable {
        var index: Int
        var issued: ContinuousClock.Instant
        var acknowledged: Bool
    }

    /// The client keeps writing through `SENTINEL FAILOVER`; every write issued after the client switched to
    /// the new master and acknowledged is on the new master; the subscriber follows too.
    @Test func failoverDuringWrites() async throws {
        let group = try await RedisSentinelGroup.start()
        let configuration = try testConfiguration(group.url) {
            $0.poolSize = 2
            $0.commandTimeout = .seconds(2)
            $0.healthCheckInterval = .milliseconds(100)
        }
        let redis = try RedisClient(configuration: configuration)
        let subscriber = try RedisSubscriber(configuration: configuration)
        let collector = MessageCollector(subscriber)
        do {
            let firstMaster = try await group.masterPort()
            try await redis.waitUntilConnected()
            #expect(redis.health.endpoint == "127.0.0.1:\(firstMaster)")
            if case .master = try await redis.role() {} else { Issue.record("the client must talk to the master") }
            try await subscriber.subscribe(["events"])

            // Note when the client first reports the new master.
            let switched = LockedBox<ContinuousClock.Instant?>(nil)
            let updates = redis.healthUpdates()
            let watcher = Task {
                for await health in updates where health.endpoint != nil && health.endpoint != "127.0.0.1:\(firstMaster)"
                    && health.state == .connected {
                    switched.withLock { $0 = $0 ?? .now }
                }
            }

            let writes = LockedBox<[Write]>([])
            let stop = LockedBox(false)
            let writer = Task {
                var index = 0
                while !stop.value {
                    let issued = ContinuousClock.now
                    let ok = (try? await redis.set(RESPArgument("w:\(index)"), to: RESPArgument(index))) != nil
                    writes.withLock { $0.append(Write(index: index, issued: issued, acknowledged: ok)) }
                    if !ok { try? await Task.sleep(for: .milliseconds(5)) }
                    index += 1
                }
            }
            try await waitUntil("writes before the failover", timeout: .seconds(10)) {
                writes.value.filter(\.acknowledged).count >= 200
            }
            let (old, new) = try await group.failover()
            #expect(old == firstMaster)
            try await waitUntil("the client to switch to the new master", timeout: .seconds(20)) { switched.value != nil }
            let switchTime = try #require(switched.value)
            try await waitUntil("writes after the switch", timeout: .seconds(20)) {
                writes.value.filter { $0.acknowledged && $0.issued > switchTime }.count >= 300
            }
            stop.withLock { $0 = true }
            await writer.value
            watcher.cancel()

            #expect(redis.health.endpoint == "127.0.0.1:\(new)")
            if case .master = try await redis.role() {} else { Issue.record("the client must follow the master") }

            // No acknowledged write issued after the switch is missing on the new master.
            let newMaster = try #require(group.servers.first { $0.port == new })
            let after = writes.value.filter { $0.acknowledged && $0.issued > switchTime }
            let keys = after.map { "w:\($0.index)" }
            var stored: [String] = []
            for chunk in stride(from: 0, to: keys.count, by: 500) {
                let slice = Array(keys[chunk..<min(chunk + 500, keys.count)])
                let values = try await newMaster.cli(["--no-raw", "MGET"] + slice)
                stored += values.split(separator: "\n").map { String($0) }
            }
            let missing = zip(after, stored).filter { !$1.contains("\"\($0.index)\"") }
            #expect(missing.isEmpty, "acknowledged writes missing on the new master: \(missing.prefix(5).map(\.0.index))")
            #expect(stored.count == after.count)

            // The subscriber resubscribed on the new master.
            try await collector.publishUntilReceived("a message through the new master",
                                                     publish: { try await redis.publish("after-failover", to: "events") }) {
                $0.text == "after-failover"
            }
            #expect(subscriber.health.endpoint == "127.0.0.1:\(new)")
        } catch {
            await subscriber.close()
            await redis.close()
            await group.stop()
            throw error
        }
        await subscriber.close()
        await redis.close()
        await group.stop()
    }
}
