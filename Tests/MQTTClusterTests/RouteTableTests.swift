@testable import MQTTCluster
import Testing

/// The other nodes' filters as a node caches them: matching, numbered changes, gaps, restarts.
@Suite struct RouteTableTests {
    @Test func theTrieFindsTheNodesWhoseFiltersMatch() {
        let trie = NodeFilterTrie()
        trie.insert("sensor/+/temp", node: "b")
        trie.insert("sensor/#", node: "c")
        trie.insert("#", node: "d")
        trie.insert("$share/workers/jobs/+", node: "e")
        trie.insert("exact/topic", node: "b")
        #expect(trie.nodes(matching: "sensor/1/temp") == ["b", "c", "d"])
        #expect(trie.nodes(matching: "sensor") == ["c", "d"])
        #expect(trie.nodes(matching: "jobs/7") == ["d", "e"])
        #expect(trie.nodes(matching: "exact/topic") == ["b", "d"])
        #expect(trie.nodes(matching: "$SYS/broker/uptime") == [])
        trie.remove("#", node: "d")
        trie.remove("sensor/+/temp", node: "b")
        #expect(trie.nodes(matching: "sensor/1/temp") == ["c"])
        trie.remove("sensor/#", node: "c")
        #expect(trie.nodes(matching: "sensor/1/temp") == [])
    }

    @Test func changesApplyOnlyInTheirOrder() {
        let routes = RemoteRoutes()
        #expect(routes.isEmpty)
        // Unknown node: its hash must be read first.
        #expect(routes.apply(node: "b", incarnation: "i1", first: 1, changes: [.init(filter: "a/#", present: true)]) == .needsRead)
        routes.replace(node: "b", with: .init(incarnation: "i1", sequence: 1, filters: ["a/#"]))
        #expect(routes.nodes(matching: "a/x") == ["b"])
        #expect(!routes.isEmpty)
        // Already in the hash that was read.
        #expect(routes.apply(node: "b", incarnation: "i1", first: 1, changes: [.init(filter: "a/#", present: true)]) == .stale)
        #expect(routes.apply(node: "b", incarnation: "i1", first: 2, changes: [
            .init(filter: "c", present: true), .init(filter: "a/#", present: false),
        ]) == .applied)
        #expect(routes.nodes(matching: "a/x") == [])
        #expect(routes.nodes(matching: "c") == ["b"])
        // Change 4 lost: 5 cannot apply.
        #expect(routes.apply(node: "b", incarnation: "i1", first: 5, changes: [.init(filter: "d", present: true)]) == .needsRead)
        #expect(routes.position(of: "b")?.sequence == 3)
        // A restarted node numbers from 1 again, under a new incarnation.
        #expect(routes.apply(node: "b", incarnation: "i2", first: 1, changes: [.init(filter: "e", present: true)]) == .needsRead)
        routes.replace(node: "b", with: .init(incarnation: "i2", sequence: 1, filters: ["e"]))
        #expect(routes.nodes(matching: "c") == [])
        #expect(routes.nodes(matching: "e") == ["b"])
        routes.drop(node: "b")
        #expect(routes.isEmpty)
    }

    @Test func anOlderReadDoesNotUndoANewerChange() {
        let routes = RemoteRoutes()
        routes.replace(node: "b", with: .init(incarnation: "i1", sequence: 2, filters: ["x"]))
        #expect(routes.apply(node: "b", incarnation: "i1", first: 3, changes: [.init(filter: "y", present: true)]) == .applied)
        // A read that was answered before change 3 arrives after it.
        routes.replace(node: "b", with: .init(incarnation: "i1", sequence: 2, filters: ["x"]))
        #expect(routes.nodes(matching: "y") == ["b"])
    }

    @Test func eventsReadBackAsWritten() throws {
        let events: [ClusterEvent] = [
            .join(node: "n1", incarnation: "abc"),
            .leave(node: "n1", incarnation: "abc"),
            .routes(node: "n1", incarnation: "abc", firstSequence: 7, changes: [
                .init(filter: "a b/\"c\"\n", present: true), .init(filter: "x/#", present: false),
            ]),
            .table(node: "n2", incarnation: "d", sequence: 3, filters: ["q/+", "设备/#"]),
            .takeover(node: "n2", client: "dev 1", atMillis: 1_733_000_000_123),
            .sessionWanted(node: "n2", client: "dev", request: "n2-abc"),
            .sessionAnswer(node: "n1", to: "n2", request: "n2-abc", found: true),
            .congestion(node: "n1", congested: false),
        ]
        for event in events { #expect(try ClusterEvent(json: event.json) == event) }
        #expect(throws: ClusterEventError.self) { try ClusterEvent(json: "{\"type\":\"routes\",\"node\":\"n\",\"incarnation\":\"i\"}") }
        #expect(throws: ClusterEventError.self) { try ClusterEvent(json: "not json") }
        #expect(throws: ClusterEventError.self) { try ClusterEvent(json: "{\"type\":\"other\",\"node\":\"n\",\"incarnation\":\"i\"}") }
    }
}
