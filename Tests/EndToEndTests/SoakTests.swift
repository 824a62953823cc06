import Foundation
import MQTTClient
import MQTTCore
import RedisClient
import Testing
import TestSupport

/// 500 clients, sequence-numbered QoS 1 traffic to `queue/` and `pubsub/` topics, Redis killed and restarted
/// (and, in the sentinel variant, a forced failover) while it flows. Every acknowledged message must be
/// delivered or in Redis, none delivered twice, and mqtop's memory must come back to its baseline band.
///
/// It loads the whole machine, so it runs only when asked, on its own: `make test` runs 60 seconds of it after
/// the other tests (MQTOP_SOAK_SECONDS=60); `make soak` runs longer and adds the sentinel variant
/// (MQTOP_SOAK_SENTINEL=1). Figures go to stdout for RELIABILITY.md.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["MQTOP_SOAK_SECONDS"] != nil))
struct SoakTests {
    static var seconds: Int { Int(ProcessInfo.processInfo.environment["MQTOP_SOAK_SECONDS"] ?? "") ?? 60 }
    static let topics = (0..<25).map { "queue/\($0)" } + (0..<25).map { "pubsub/\($0)" }

    @Test func singleRedisKilledAndRestarted() async throws {
        let durable = ["--appendonly", "yes", "--appendfsync", "always"]
        let redis = try await RedisServer.start(extraArguments: durable)
        let restarted = LockedBox<RedisServer?>(nil)
        let report = try await soak(redisURL: redis.url) { phase in
            switch phase {
            case .third: await redis.kill()
            case .half:
                let server = try await RedisServer.start(extraArguments: durable, directory: redis.directory,
                                                         port: redis.port)
                restarted.withLock { $0 = server }
            }
        }
        let server = try #require(restarted.value)
        try report.verify(stored: try await Self.storedPayloads(url: server.url))
        await server.stopAndRemove()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["MQTOP_SOAK_SENTINEL"] == "1"))
    func sentinelFailover() async throws {
        let group = try await RedisSentinelGroup.start()
        let report = try await soak(redisURL: group.url) { phase in
            if phase == .third { _ = try await group.failover() }
        }
        try report.verify(stored: try await Self.storedPayloads(url: group.url))
        await group.stop()
    }

    enum Phase { case third, half }

    /// Runs the traffic for `seconds`, calling `fault` a third and half way through.
    func soak(redisURL: String, fault: @escaping @Sendable (Phase) async throws -> Void) async throws -> SoakReport {
        let data = try TemporaryDirectory(prefix: "soak")
        defer { data.remove() }
        let (mqtop, port) = try await MQTopBinary.serve(["--redis", redisURL])
        let ledger = SoakLedger()
        // 50 subscribers, one per topic: one-to-one for queue/, one-to-many cursor for pubsub/.
        var subscribers: [MQTTClient] = []
        for (index, topic) in Self.topics.enumerated() {
            let client = try await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "sub-\(index)"))
            _ = try await client.subscribe(topic, qos: .atLeastOnce)
            subscribers.append(client)
        }
        let consumers = subscribers.map { client in
            Task { for await message in client.messages { ledger.received(message.payloadString) } }
        }
        try await Task.sleep(for: .seconds(2)) // warm-up: connections and first writes settle before the baseline
        let baseline = try Self.residentKilobytes(mqtop)
        // 450 publishers, each to one topic, one message a second each (sequence-numbered payloads).
        let deadline = ContinuousClock.now.advanced(by: .seconds(Self.seconds))
        let publishers = (0..<450).map { index in
            Task {
                let topic = Self.topics[index % Self.topics.count]
                guard let client = try? await MQTTClient.connect(MQTTClientOptions(port: port, clientID: "pub-\(index)"))
                else { ledger.failedToConnect(); return }
                var sequence = 0
                while ContinuousClock.now < deadline {
                    sequence += 1
                    let payload = "p\(index)-\(sequence)"
                    if (try? await client.publish(topic, payload, qos: .atLeastOnce)) != nil {
                        ledger.acknowledged(payload)
                    }
                    try? await Task.sleep(for: .milliseconds(900 + index % 200))
                }
                await client.disconnect()
            }
        }
        try await Task.sleep(for: .seconds(Self.seconds / 3))
        try await fault(.third)
        try await Task.sleep(for: .seconds(Self.seconds / 2 - Self.seconds / 3))
        try await fault(.half)
        for publisher in publishers { await publisher.value }
        // Everything acknowledged reaches its subscriber (bounded wait), then the queues are empty again.
        try await waitUntil("every acknowledged message delivered", timeout: .seconds(60)) {
            ledger.undelivered.isEmpty
        }
        let peak = try Self.peakKilobytes(mqtop)
        do {
            try await waitUntil("mqtop's memory back in its band", timeout: .seconds(30)) {
                (try? Self.residentKilobytes(mqtop)).map { $0 <= baseline * 3 / 2 + 30_000 } ?? false
            }
        } catch {
            let now = (try? Self.residentKilobytes(mqtop)) ?? -1
            Issue.record("mqtop RSS baseline \(baseline) kB, peak \(peak) kB, still \(now) kB 30 s after the traffic")
            throw error
        }
        let final = try Self.residentKilobytes(mqtop)
        for subscriber in subscribers { await subscriber.disconnect() }
        for consumer in consumers { consumer.cancel() }
        mqtop.signal(SIGTERM)
        _ = try await mqtop.waitForExit(timeout: .seconds(30))
        let report = SoakReport(ledger: ledger, baselineKB: baseline, peakKB: peak, finalKB: final, seconds: Self.seconds)
        print(report.summary)
        return report
    }

    /// The payloads of every message stored under the soak's topics.
    static func storedPayloads(url: String) async throws -> Set<String> {
        let client = try await RedisClient.connect(RedisConfiguration(url: url))
        var payloads = Set<String>()
        for topic in topics {
            let ids = try await client.zrange(.init("mqtt:msg:" + topic), from: 0, to: -1).map { String(buffer: $0) }
            let replies = try await client.pipeline(ids.map { .hget(.init("mqtt:msg:" + $0), field: "payload") })
            for reply in replies { if let text = (try? reply.get())?.string { payloads.insert(text) } }
        }
        await client.close()
        return payloads
    }

    static func residentKilobytes(_ process: ChildProcess) throws -> Int { try status(process, "VmRSS") }
    static func peakKilobytes(_ process: ChildProcess) throws -> Int { try status(process, "VmHWM") }

    static func status(_ process: ChildProcess, _ field: String) throws -> Int {
        let pid = try #require(process.pid)
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(field + ":") })
        return try #require(Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? ""))
    }
}

/// What was acknowledged and what arrived, across all clients.
final class SoakLedger: Sendable {
    private let state = LockedBox<(acked: Set<String>, received: [String: Int], failed: Int)>(([], [:], 0))

    func acknowledged(_ payload: String) { state.withLock { _ = $0.acked.insert(payload) } }
    func received(_ payload: String) { state.withLock { $0.received[payload, default: 0] += 1 } }
    func failedToConnect() { state.withLock { $0.failed += 1 } }

    var undelivered: Set<String> {
        state.withLock { state in state.acked.filter { state.received[$0] == nil } }
    }
    var snapshot: (acked: Set<String>, received: [String: Int], failed: Int) { state.value }
}

struct SoakReport {
    let ledger: SoakLedger
    let baselineKB: Int
    let peakKB: Int
    let finalKB: Int
    let seconds: Int

    var summary: String {
        let snapshot = ledger.snapshot
        let duplicates = snapshot.received.values.filter { $0 > 1 }.count
        return "soak \(seconds) s: \(snapshot.acked.count) acknowledged, \(snapshot.received.count) distinct delivered, "
            + "\(duplicates) delivered twice, \(snapshot.failed) publishers failed to connect; "
            + "mqtop RSS baseline \(baselineKB) kB, peak \(peakKB) kB, after \(finalKB) kB"
    }

    func verify(stored: Set<String>) throws {
        let snapshot = ledger.snapshot
        #expect(snapshot.failed == 0)
        #expect(snapshot.acked.count > 450 * max(seconds / 2, 1))
        let lost = snapshot.acked.filter { snapshot.received[$0] == nil && !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but neither delivered nor in Redis: \(lost.prefix(10))")
        let duplicates = snapshot.received.filter { $0.value > 1 }
        #expect(duplicates.isEmpty, "delivered more than once: \(duplicates.prefix(10))")
        #expect(finalKB <= baselineKB * 3 / 2 + 30_000)
    }
}
