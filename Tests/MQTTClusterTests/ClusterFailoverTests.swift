import MQTTBroker
import MQTTClient
@testable import MQTTCluster
import MQTTCore
import Testing
import TestSupport

/// Nodes on a sentinel group keep routing to each other across a failover: their connections follow the
/// new master, the subscriber subscribes again, and the route tables they cached still hold.
@Suite struct ClusterFailoverTests {
    @Test func messagesCrossNodesAgainAfterAFailover() async throws {
        let group = try await RedisSentinelGroup.start()
        let fixture = ClusterFixture(redis: group.servers[0], url: group.url)
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let subscriber = try await MosquittoSubscriber.start(port: b.port, ["-i", "sub", "-q", "1", "-t", "f/#"])
        try await fixture.waitForRoute(from: a, to: b, topic: "f/x")
        let publisher = try await a.client("pub")
        try await publisher.publish("f/x", "before", qos: .atLeastOnce)
        try await waitUntil("the first message") { subscriber.messages.contains("f/x before") }

        try await group.failover()
        // What is published while the subscriber reconnects is lost (pub/sub keeps nothing): probe until a
        // message crosses, then the rest arrive in order.
        try await waitUntil("a message crosses after the failover", timeout: .seconds(30), poll: .milliseconds(200)) {
            try await publisher.publish("f/probe", "probe", qos: .atMostOnce)
            return subscriber.messages.contains("f/probe probe")
        }
        for index in 0..<50 { try await publisher.publish("f/x", "\(index)", qos: .atLeastOnce) }
        let expected = (0..<50).map { "f/x \($0)" }
        try await waitUntil("50 in order after the failover") {
            subscriber.messages.filter { $0.hasPrefix("f/x ") && $0 != "f/x before" } == expected
        }
        #expect(a.cluster.memberList.filter(\.alive).map(\.node) == ["a", "b"])
        await subscriber.stop()
        await publisher.close()
        await a.stop()
        await b.stop()
        await group.stop()
    }
}
