@testable import MQTTBroker
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// The retained store's topic tree answers every filter exactly as the MQTT matcher does, and forgets
/// topics without leaving branches behind.
@Suite struct RetainedIndexTests {
    static let levels = ["a", "b", "", "$SYS", "sport", "x y", "设备"]

    /// Topics of one to four levels over a small alphabet (empty and `$` levels included).
    static func topics() -> [String] {
        var result: [String] = []
        var generator = SeededRandom(seed: 7)
        for _ in 0..<400 {
            let depth = Int(generator.next() % 4) + 1
            result.append((0..<depth).map { _ in levels[Int(generator.next() % UInt64(levels.count))] }.joined(separator: "/"))
        }
        return Array(Set(result))
    }

    static let filters = ["#", "+", "+/+", "a/#", "a/+", "+/b/#", "$SYS/#", "+/#", "/#", "sport", "sport/#", "a/+/b",
                          "+/+/+/+", "a", "设备/+", "x y/#", "/+", "+/", "$SYS/+/b"]

    @Test func everyFilterMatchesWhatTheMatcherMatches() {
        let topics = Self.topics()
        let index = RetainedTopicIndex()
        for topic in topics { index.insert(topic) }
        for filter in Self.filters {
            let expected = topics.filter { TopicMatcher.matches(filter: filter, topic: $0) }.sorted()
            #expect(index.topics(matching: filter).sorted() == expected, "filter \(filter)")
        }
        // Removing half leaves exactly the other half matchable.
        let (gone, kept) = (topics.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                            topics.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        for topic in gone { index.remove(topic) }
        #expect(index.topics(matching: "#").sorted() == kept.filter { !$0.hasPrefix("$") }.sorted())
        for topic in kept { index.remove(topic) }
        #expect(index.topics(matching: "#").isEmpty && index.topics(matching: "$SYS/#").isEmpty)
    }

    /// A subscriber sees retained messages in topic order, whatever order they were retained in.
    @Test func matchesComeInTopicOrder() throws {
        let store = RetainedStore()
        let generator = MessageIDGenerator(node: "t")
        for topic in ["z/2", "a/9", "z/1", "m", "a/3"] {
            store.set(BrokerMessage(id: generator.next(), topic: topic, payload: ByteBuffer(string: "x"), qos: .atMostOnce,
                                    retain: true, publisher: nil, properties: nil, expiresAt: nil, timestampMillis: 0))
        }
        #expect(store.matching(try #require(TopicFilter("#"))).map(\.topic) == ["a/3", "a/9", "m", "z/1", "z/2"])
        #expect(store.matching(try #require(TopicFilter("+/+"))).map(\.topic) == ["a/3", "a/9", "z/1", "z/2"])
    }

    @Test func theStoreServesWildcardsFromTheIndex() throws {
        let store = RetainedStore()
        let generator = MessageIDGenerator(node: "t")
        func retain(_ topic: String, _ payload: String) {
            store.set(BrokerMessage(id: generator.next(), topic: topic, payload: ByteBuffer(string: payload), qos: .atMostOnce,
                                    retain: true, publisher: nil, properties: nil, expiresAt: nil, timestampMillis: 0))
        }
        for index in 0..<10_000 { retain("fleet/\(index)/temp", "\(index)") }
        retain("fleet/7/door", "open")
        let filter = try #require(TopicFilter("fleet/+/door"))
        #expect(store.matching(filter).map(\.topic) == ["fleet/7/door"])
        // An empty payload clears the topic, from the index too.
        retain("fleet/7/door", "")
        #expect(store.matching(filter).isEmpty)
        #expect(store.count == 10_000)
    }
}
