import EMQXLayout
import Foundation
import Logging
import Monitor
import RedisClient
import Testing
import TestSupport

/// The two layouts as adapters: keys, expiry and writes as each writer defines them, and the verdict
/// drawn from what a keyspace holds.
@Suite struct LayoutAdapterTests {
    static let now: Int64 = 1_764_720_000_000
    static let plugin5 = OfflineMessageLayout(score: .expiry)
    static let plugin6 = OfflineMessageLayout(score: .publishTime)

    @Test func keysFollowThePluginsPrefixes() {
        #expect(StoreLayout.emqx4.subscriptions("c1") == "mqtt:sub:c1")
        #expect(StoreLayout.omp(Self.plugin6).topicMessages("t/1") == "mqtt:msg:t/1")
        // The plugin joins prefix and value with ':'; a prefix given with its colon means the same keys.
        let custom = OfflineMessageLayout(score: .expiry, subscriptionPrefix: "fleet:subs:", messagePrefix: "fleet:msgs")
        #expect(StoreLayout.omp(custom).subscriptions("c1") == "fleet:subs:c1")
        #expect(StoreLayout.omp(custom).message("2fQ") == "fleet:msgs:2fQ")
        // The plugin writes the 4.x message fields, in the 4.x order.
        #expect(StoredMessageFields.messageOrder.map(\.rawValue) == ["id", "from", "qos", "topic", "payload", "ts", "retain"])
    }

    @Test func expiryAsEachPluginDecidesIt() {
        let ttl = Int64(OfflineMessageLayout.defaultMessageTTL) * 1000
        // 5.x: the score is publish + TTL; delivered while above now.
        let omp5 = StoreLayout.omp(Self.plugin5)
        #expect(!omp5.isExpired(score: Double(Self.now + 1), now: Self.now))
        #expect(omp5.isExpired(score: Double(Self.now), now: Self.now))
        #expect(omp5.liveScoreRange(now: Self.now)! == ("(\(Self.now)", "+inf"))
        // 6.x: the score is the publish time; delivered while younger than the TTL.
        let omp6 = StoreLayout.omp(Self.plugin6)
        #expect(!omp6.isExpired(score: Double(Self.now - ttl) + 0.5, now: Self.now))
        #expect(omp6.isExpired(score: Double(Self.now - ttl), now: Self.now))
        #expect(omp6.liveScoreRange(now: Self.now)! == ("(\(Self.now - ttl)", "+inf"))
        // EMQX 4: every member counts (ZCARD); its messages expire with their hashes.
        #expect(StoreLayout.emqx4.liveScoreRange(now: Self.now) == nil)
        #expect(!StoreLayout.emqx4.isExpired(score: 1, now: Self.now))
    }

    @Test func consoleWritesPerLayout() {
        let subscribe = LayoutWrite.subscribe(clientID: "c1", filter: "a/#", qos: 1)
        #expect(subscribe.commands(channel: "mqtt_channel") == [
            ["HSET", "mqtt:sub:c1", "a/#", "1"],
            ["PUBLISH", "mqtt_channel", #"{"type":"subscribe","topic":"a/#","clientid":"c1","qos":1}"#],
        ])
        // The plugin reads the hash when the client connects and listens on no channel.
        let custom = StoreLayout.omp(OfflineMessageLayout(score: .publishTime, subscriptionPrefix: "fleet:subs"))
        #expect(subscribe.commands(channel: "mqtt_channel", layout: custom) == [["HSET", "fleet:subs:c1", "a/#", "1"]])
        #expect(LayoutWrite.unsubscribe(clientID: "c1", filter: "a/#").commands(channel: "x", layout: custom)
            == [["HDEL", "fleet:subs:c1", "a/#"]])
        #expect(LayoutWrite.deleteRetained(topic: "t").commands(channel: "x", layout: custom).isEmpty)
    }

    @Test func evidenceTellsTheGenerationsApart() {
        let ttl = Int64(7200_000)
        var evidence = LayoutEvidence()
        // A 5.x member: scored publish + TTL, its hash's ts the publish time.
        evidence.addQueue(score: Double(Self.now - 60_000 + ttl), messageTS: Self.now - 60_000, remainingMillis: nil, now: Self.now)
        #expect(evidence.expiryQueues == 1)
        // A 6.x member: scored by publish time (a float), its hash expiring one TTL after it: the TTL is inferred.
        evidence.addQueue(score: Double(Self.now - 600_000) + 0.25, messageTS: Self.now - 600_000,
                          remainingMillis: ttl - 600_000, now: Self.now)
        #expect(evidence.publishTimeQueues == 1)
        #expect(evidence.inferredTTL == 7200)
        // Hash gone: a future score can only be an expiry.
        evidence.addQueue(score: Double(Self.now + 5000), messageTS: nil, remainingMillis: nil, now: Self.now)
        #expect(evidence.expiryQueues == 2)
        evidence.addQueue(score: 1, messageTS: nil, remainingMillis: nil, now: Self.now)
        #expect(evidence.scoreOneQueues == 1)
        // Hash gone, score less than a TTL past: a 6.x hash would still be there, so 5.x.
        evidence.addQueue(score: Double(Self.now - 60_000), messageTS: nil, remainingMillis: nil, now: Self.now)
        #expect(evidence.expiryQueues == 3)
        // Older than a TTL with its hash gone: it tells nothing.
        var stale = LayoutEvidence()
        stale.addQueue(score: Double(Self.now - 3 * ttl), messageTS: nil, remainingMillis: nil, now: Self.now)
        #expect(stale.undecidedQueues == 1)
        let verdict = stale.verdict(omp: Self.plugin6, ttlGiven: false)
        #expect(verdict.layout.name == "omp 6.x" && verdict.basis == .provisional)
    }

    @Test func verdicts() {
        let omp = Self.plugin6
        #expect(LayoutEvidence().verdict(omp: omp, ttlGiven: false) == LayoutReport(layout: .emqx4, basis: .provisional))
        #expect(LayoutEvidence(clientHashes: 3).verdict(omp: omp, ttlGiven: false) == LayoutReport(layout: .emqx4, basis: .detected))
        let six = LayoutEvidence(publishTimeQueues: 4, inferredTTL: 600).verdict(omp: omp, ttlGiven: false)
        #expect(six.layout == .omp(OfflineMessageLayout(score: .publishTime, messageTTL: 600)))
        // A TTL given on the command line wins over the inferred one.
        let given = LayoutEvidence(publishTimeQueues: 4, inferredTTL: 600)
            .verdict(omp: OfflineMessageLayout(score: .publishTime, messageTTL: 60), ttlGiven: true)
        #expect(given.layout == .omp(OfflineMessageLayout(score: .publishTime, messageTTL: 60)))
        let five = LayoutEvidence(expiryQueues: 2, publishTimeQueues: 1).verdict(omp: omp, ttlGiven: false)
        #expect(five.layout.name == "omp 5.x")
        // Both generations: the one with more queues is read, the other named.
        let upgraded = LayoutEvidence(clientHashes: 5, scoreOneQueues: 1, publishTimeQueues: 3).verdict(omp: omp, ttlGiven: false)
        #expect(upgraded.layout.name == "omp 6.x")
        #expect(upgraded.foreign == "1 emqx4 queue, emqx4 client keys")
        let mostlyOld = LayoutEvidence(scoreOneQueues: 4, expiryQueues: 1).verdict(omp: omp, ttlGiven: false)
        #expect(mostlyOld == LayoutReport(layout: .emqx4, basis: .detected, foreign: "1 omp queue"))
        // --layout omp: only the generation is decided.
        let flagged = LayoutEvidence(scoreOneQueues: 4, expiryQueues: 1).verdict(omp: omp, ttlGiven: false, ompOnly: true)
        #expect(flagged.layout.name == "omp 5.x" && flagged.basis == .flag)
    }

    func monitor(_ redis: RedisServer, url: String? = nil, batch: Int = 1000) throws -> RedisMonitor {
        let client = try RedisClient(configuration: RedisConfiguration(url: url ?? redis.url))
        return RedisMonitor(client: client, options: .init(
            mode: .attach, endpoint: redis.url, batch: batch,
            layout: .auto(omp: Self.plugin6, ttlGiven: false)), logger: Logger(label: "test.layout"))
    }

    @Test(arguments: LayoutFixture.allCases)
    func sweepReadsEachLayout(_ fixture: LayoutFixture) async throws {
        let redis = try await RedisServer.start()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for command in fixture.commands(now: now) { try await redis.cli(command) }
        let monitor = try monitor(redis)
        try await monitor.sweepOnce { _ in }
        let snapshot = monitor.snapshot
        let expected = fixture.expected
        #expect(snapshot.header.layout?.layout.name == expected.layoutName)
        #expect(snapshot.header.layout?.basis == .detected)
        let queue = try #require(snapshot.queues.first)
        #expect(snapshot.queues.count == 1 && queue.topic == expected.queueTopic && queue.depth == expected.depth)
        let oldestMinutes = try #require(queue.oldest.map { (now - $0) / 60_000 })
        #expect("\(oldestMinutes)m" == expected.oldestAge)
        if expected.retainedTopic == nil {
            #expect(snapshot.clients.map(\.presence) == [.unknown, .unknown])
            #expect(snapshot.clients.map(\.clientID) == ["dev-1", "dev-2"])
            #expect(snapshot.retained.isEmpty)
        } else {
            #expect(snapshot.clients.map(\.presence) == [.online, .offline])
            #expect(snapshot.retained.map(\.topic) == [expected.retainedTopic])
        }
        #expect(snapshot.scanning.isEmpty)
        await monitor.client.close()
        await redis.stopAndRemove()
    }

    @Test func queuesBeyondTheProbesSampleStillDecideTheLayout() async throws {
        // A probe allowed no SCAN call stands for one whose sample missed every queue of a large keyspace.
        let redis = try await RedisServer.start()
        for command in LayoutFixture.omp6.commands(now: Int64(Date().timeIntervalSince1970 * 1000)) {
            try await redis.cli(command)
        }
        let client = try RedisClient(configuration: RedisConfiguration(url: redis.url))
        let monitor = RedisMonitor(client: client, options: .init(
            mode: .attach, endpoint: redis.url, layout: .auto(omp: Self.plugin6, ttlGiven: false), probeCalls: 0),
            logger: Logger(label: "test.layout"))
        try await monitor.sweepOnce { _ in }
        // The first sweep read EMQX 4's layout, found the plugin's queue, and changed its verdict.
        #expect(monitor.snapshot.header.layout?.layout.name == "omp 6.x")
        #expect(monitor.snapshot.header.layout?.basis == .detected)
        try await monitor.sweepOnce { _ in }
        #expect(monitor.snapshot.queues.map(\.depth) == [2])
        #expect(monitor.snapshot.clients.allSatisfy { $0.presence == .unknown })
        await client.close()
        await redis.stopAndRemove()
    }
}
