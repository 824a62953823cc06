import MQTTBroker
import MQTTClient
@testable import MQTTCluster
import MQTTCore
import Testing
import TestSupport

/// A node whose Redis is not there yet starts anyway (its broker listens for local clients), and joins
/// the cluster once Redis comes: it claims its name, announces its routes, and messages cross.
@Suite struct ClusterRedisLateTests {
    @Test func aNodeStartedBeforeRedisJoinsWhenRedisComes() async throws {
        let down = try RefusingPort()
        let placeholder = try await RedisServer.start()
        let late = ClusterFixture(redis: placeholder, url: "redis://127.0.0.1:\(down.port)")
        let a = try await late.node("a")
        // Local clients are served meanwhile, and a subscription made now is announced later.
        let subscriber = try await MosquittoSubscriber.start(port: a.port, ["-i", "early", "-q", "1", "-t", "late/#"])
        down.release()
        let redis = try await RedisServer.start(port: down.port)
        let fixture = ClusterFixture(redis: redis)
        let b = try await fixture.node("b")
        try await waitUntil("a joined", timeout: .seconds(20)) { b.cluster.members.aliveOthers == ["a"] }
        try await fixture.waitForRoute(from: b, to: a, topic: "late/x")
        let publisher = try await b.client("pub")
        try await publisher.publish("late/x", "crossed", qos: .atLeastOnce)
        try await waitUntil("the message on a") { subscriber.messages.contains("late/x crossed") }
        await subscriber.stop()
        await publisher.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
        await placeholder.stopAndRemove()
    }
}
