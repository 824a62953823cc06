import MQTTBroker
import MQTTClient
@testable import MQTTCluster
import MQTTCore
import Testing
import TestSupport

/// Brokers that share a Redis and a cluster name are one broker to their clients.
@Suite struct ClusterRoutingTests {
    @Test func aMessageReachesASubscriberOnAnotherNodeOnceAndInOrder() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let subscriber = try await b.client("sub-on-b")
        _ = try await subscriber.subscribe("sensor/#", qos: .atLeastOnce)
        _ = try await subscriber.subscribe("sensor/+/temp", qos: .atLeastOnce)
        try await fixture.waitForRoute(from: a, to: b, topic: "sensor/1/temp")
        let publisher = try await a.client("pub-on-a")
        let count = 300
        for index in 0..<count {
            try await publisher.publish("sensor/\(index % 3)/temp", "\(index)", qos: index % 2 == 0 ? .atLeastOnce : .atMostOnce)
        }
        let received = try await subscriber.messages.next(count)
        #expect(received.map(\.payloadString) == (0..<count).map(String.init))
        #expect(received.allSatisfy { $0.topic.hasPrefix("sensor/") })
        // Two matching filters on b, one copy sent.
        #expect(a.cluster.traffic.sent == count)
        await publisher.close()
        await subscriber.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
    }

    @Test func onlyNodesWithAMatchingSubscriberGetTheMessage() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let c = try await fixture.node("c")
        let onB = try await b.client("on-b")
        _ = try await onB.subscribe("only/b", qos: .atLeastOnce)
        let onC = try await c.client("on-c")
        _ = try await onC.subscribe("only/c", qos: .atLeastOnce)
        try await fixture.waitForRoute(from: a, to: b, topic: "only/b")
        try await fixture.waitForRoute(from: a, to: c, topic: "only/c")
        let publisher = try await a.client("pub")
        for index in 0..<50 { try await publisher.publish("only/b", "\(index)", qos: .atLeastOnce) }
        try await publisher.publish("only/c", "last", qos: .atLeastOnce)
        #expect(try await onB.messages.next(50).map(\.payloadString) == (0..<50).map(String.init))
        #expect(try await onC.messages.next(1).map(\.payloadString) == ["last"])
        #expect(b.cluster.traffic.received == 50)
        #expect(c.cluster.traffic.received == 1)
        for node in [a, b, c] { await node.stop() }
        await fixture.stop()
    }

    @Test func anUnsubscribeStopsTheForwarding() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let subscriber = try await b.client("sub")
        _ = try await subscriber.subscribe("t/#", qos: .atLeastOnce)
        try await fixture.waitForRoute(from: a, to: b, topic: "t/1")
        _ = try await subscriber.unsubscribe(["t/#"])
        try await waitUntil("a forgets b's t/#") { a.cluster.routes.nodes(matching: "t/1").isEmpty }
        let publisher = try await a.client("pub")
        try await publisher.publish("t/1", "unwanted", qos: .atLeastOnce)
        #expect(a.cluster.traffic.sent == 0)
        await subscriber.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
    }

    @Test func aRetainedMessageSetOnOneNodeIsServedOnAnother() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        try await waitUntil("a sees b alive") { a.cluster.members.aliveOthers.contains("b") }
        let publisher = try await a.client("pub")
        try await publisher.publish("home/kitchen/temp", "21.5", qos: .atLeastOnce, retain: true)
        try await publisher.publish("home/garage/door", "open", qos: .atLeastOnce, retain: true)
        try await waitUntil("b holds both retained messages") { b.broker.stats.retained == 2 }
        let late = try await b.client("late")
        _ = try await late.subscribe("home/#", qos: .atLeastOnce)
        let received = try await late.messages.next(2)
        #expect(Set(received.map(\.payloadString)) == ["21.5", "open"])
        #expect(received.allSatisfy { $0.retain })
        // Cleared on a, gone on b.
        try await publisher.publish("home/garage/door", "", qos: .atLeastOnce, retain: true)
        try await waitUntil("b dropped the cleared one") { b.broker.stats.retained == 1 }
        await late.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
    }

    @Test func aNodeNameThatIsAliveIsRefused() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("same")
        await #expect {
            _ = try await fixture.node("same")
        } throws: { error in
            "\(error)".contains("node same is already alive in cluster test")
        }
        // The refused one removed nothing of the live one's.
        #expect(try await fixture.redis.cli(["EXISTS", "mqtop:cluster:test:alive:same"]) == "1")
        await a.stop()
        await fixture.stop()
    }

    @Test func aStoppedNodeLeavesAtOnceAndTheOthersForgetIt() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a", timeToLive: .seconds(60))
        let b = try await fixture.node("b", timeToLive: .seconds(60))
        let subscriber = try await b.client("sub")
        _ = try await subscriber.subscribe("x", qos: .atLeastOnce)
        try await fixture.waitForRoute(from: a, to: b, topic: "x")
        await subscriber.close()
        await b.stop()
        // Long before the 60 s heartbeat would run out.
        try await waitUntil("a forgets b") { !a.cluster.memberList.contains { $0.node == "b" } }
        #expect(a.cluster.routes.nodes(matching: "x").isEmpty)
        #expect(try await fixture.redis.cli(["HEXISTS", "mqtop:cluster:test:nodes", "b"]) == "0")
        await a.stop()
        await fixture.stop()
    }

    /// A route change whose event never arrived (a failover, say) is read from the routes hash at the next
    /// heartbeat, because the hash's change number moved past the one applied.
    @Test func aLostRouteEventIsCaughtUpFromTheHash() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        try await waitUntil("a has read b's routes") { a.cluster.routes.position(of: "b") != nil }
        let sequence = try #require(a.cluster.routes.position(of: "b")?.sequence)
        // What b's writer would do, without the PUBLISH that announces it.
        _ = try await fixture.redis.cli(["HSET", "mqtop:cluster:test:routes:b", "silent/#", "1", "#seq", "\(sequence + 1)"])
        try await fixture.waitForRoute(from: a, to: b, topic: "silent/x")
        await a.stop()
        await b.stop()
        await fixture.stop()
    }
}

/// One client id, one session, cluster-wide.
@Suite struct ClusterTakeoverTests {
    @Test func connectingOnAnotherNodeTakesTheSessionOverThere() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let first = try await a.client("roamer")
        _ = try await first.subscribe("roamer/cmd", qos: .atLeastOnce)
        let second = try await b.client("roamer")
        let reason = try await withTimeout("DISCONNECT on a") {
            for await event in first.events {
                if case .disconnected(let reason) = event { return reason }
            }
            return ReasonCode.unspecifiedError
        }
        #expect(reason == .sessionTakenOver)
        try await waitUntil("a holds no session of roamer") { !a.broker.sessionState(clientID: "roamer").exists }
        #expect(b.broker.sessionState(clientID: "roamer").connected)
        // a's subscription went with its session: a no longer wants roamer/cmd.
        try await waitUntil("b forgets a's route") { b.cluster.routes.nodes(matching: "roamer/cmd").isEmpty }
        await second.close()
        await a.stop()
        await b.stop()
        await fixture.stop()
    }

    @Test func aTakeoverOlderThanTheConnectionHereIsIgnored() {
        let claims = RecentClaims()
        claims.record("dev", atMillis: 10_000)
        // Another node admitted dev before this node did: the connection here is newer and stays.
        #expect(!claims.shouldYield("dev", toClaimAtMillis: 9_990, nowMillis: 10_020))
        #expect(claims.shouldYield("dev", toClaimAtMillis: 10_010, nowMillis: 10_020))
        // Not connected here recently: yield.
        #expect(claims.shouldYield("other", toClaimAtMillis: 10_010, nowMillis: 10_020))
        // Held back past the horizon (Redis was down): ignored.
        #expect(!claims.shouldYield("other", toClaimAtMillis: 0, nowMillis: RecentClaims.horizonMillis + 1))
    }
}

/// A SUBACK for a filter new to the node comes once the route is in Redis and announced to the others.
@Suite struct ClusterSubackTests {
    @Test func aSubackComesOnceTheRouteIsInTheClustersTable() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let subscriber = try await b.client("quick")
        for round in 0..<3 {
            // Redis holds every write for a moment: the SUBACK waits for the route's HSET and PUBLISH.
            _ = try await fixture.redis.cli(["CLIENT", "PAUSE", "200", "WRITE"])
            _ = try await subscriber.subscribe("fresh/\(round)", qos: .atLeastOnce)
            #expect(try await fixture.redis.cli(["HEXISTS", "mqtop:cluster:test:routes:b", "fresh/\(round)"]) == "1")
        }
        // A second session on a filter the node has announced already is not held.
        let other = try await b.client("second")
        _ = try await fixture.redis.cli(["CLIENT", "PAUSE", "2000", "WRITE"])
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await other.subscribe("fresh/0", qos: .atLeastOnce)
        #expect(clock.now - start < .milliseconds(900), "held for the 1 s bound")
        _ = try await fixture.redis.cli(["CLIENT", "UNPAUSE"])
        for client in [subscriber, other] { await client.close() }
        await a.stop()
        await b.stop()
        await fixture.stop()
    }
}
