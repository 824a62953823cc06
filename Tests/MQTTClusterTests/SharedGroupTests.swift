import MQTTBroker
import MQTTClient
@testable import MQTTCluster
import MQTTCore
import Testing
import TestSupport

/// A `$share` group gets each message once cluster-wide, spread over its members on every node.
@Suite struct SharedGroupTests {
    @Test func aGroupWithMembersOnTwoNodesGetsEachMessageOnce() async throws {
        let fixture = try await ClusterFixture.start()
        let a = try await fixture.node("a")
        let b = try await fixture.node("b")
        let c = try await fixture.node("c")
        let onA = try await a.client("worker-a")
        _ = try await onA.subscribe("$share/workers/jobs/+", qos: .atLeastOnce)
        let onB = try await b.client("worker-b")
        _ = try await onB.subscribe("$share/workers/jobs/+", qos: .atLeastOnce)
        // A plain subscriber and a group whose only member is on the publishing node.
        let watcher = try await b.client("watcher")
        _ = try await watcher.subscribe("jobs/#", qos: .atLeastOnce)
        let auditor = try await c.client("auditor")
        _ = try await auditor.subscribe("$share/audit/jobs/#", qos: .atLeastOnce)
        try await fixture.waitForRoute(from: c, to: a, topic: "jobs/x")
        try await fixture.waitForRoute(from: c, to: b, topic: "jobs/x")
        try await waitUntil("c knows both workers' group") {
            c.cluster.routes.destinations(for: "jobs/x", me: "c").nodes.count == 2
        }
        let publisher = try await c.client("dispatcher")
        let count = 100
        for index in 0..<count { try await publisher.publish("jobs/x", "\(index)", qos: .atLeastOnce) }
        #expect(try await watcher.messages.next(count).map(\.payloadString) == (0..<count).map(String.init))
        #expect(try await auditor.messages.next(count).count == count)
        // Between them the two workers got every job once, and each got some.
        let received = try await Self.take(count, from: ["a": onA, "b": onB])
        #expect(received.values.flatMap { $0 }.sorted() == (0..<count).map(String.init).sorted())
        #expect(received.values.allSatisfy { !$0.isEmpty }, "\(received.mapValues(\.count))")
        for client in [onA, onB, watcher, auditor, publisher] { await client.close() }
        for node in [a, b, c] { await node.stop() }
        await fixture.stop()
    }

    /// Reads the clients' streams side by side until `count` messages arrived between them.
    static func take(_ count: Int, from clients: [String: MQTTClient]) async throws -> [String: [String]] {
        let received = LockedBox<[String: [String]]>([:])
        try await withTimeout("\(count) messages over \(clients.keys.sorted())") {
            await withTaskGroup(of: Void.self) { group in
                for (name, client) in clients {
                    group.addTask {
                        for await message in client.messages {
                            let total = received.withLock { box -> Int in
                                box[name, default: []].append(message.payloadString)
                                return box.values.reduce(0) { $0 + $1.count }
                            }
                            if total >= count { return }
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        return received.withLock { $0 }
    }
}
