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
        let index = RetainedTopicIndex<String>()
        for topic in topics { index.updateValue(topic, forTopic: topic) }
        for filter in Self.filters {
            let expected = topics.filter { TopicMatcher.matches(filter: filter, topic: $0) }.sorted()
            #expect(index.values(matching: filter).sorted() == expected, "filter \(filter)")
        }
        // Removing half leaves exactly the other half matchable.
        let (gone, kept) = (topics.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                            topics.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        for topic in gone { #expect(index.removeValue(forTopic: topic) == topic) }
        #expect(index.values(matching: "#").sorted() == kept.filter { !$0.hasPrefix("$") }.sorted())
        #expect(index.count == kept.count)
        for topic in kept { index.removeValue(forTopic: topic) }
        #expect(index.values(matching: "#").isEmpty && index.values(matching: "$SYS/#").isEmpty && index.count == 0)
    }

    /// Clearing most of many siblings compacts the level and keeps the rest in place and findable.
    @Test func removingManySiblingsKeepsTheRestInOrder() {
        let index = RetainedTopicIndex<Int>()
        for number in 0..<1_000 { index.updateValue(number, forTopic: "fleet/\(number)") }
        for number in 0..<1_000 where number % 10 != 0 { index.removeValue(forTopic: "fleet/\(number)") }
        #expect(index.values(matching: "fleet/+") == Array(stride(from: 0, to: 1_000, by: 10)))
        index.updateValue(7, forTopic: "fleet/7")
        index.removeValue(forTopic: "fleet/0")
        #expect(index.values(matching: "fleet/#").prefix(2) == [10, 20] && index.values(matching: "fleet/#").last == 7)
        #expect(index.value(forTopic: "fleet/990") == 990 && index.value(forTopic: "fleet/0") == nil)
    }

    /// A subscriber sees retained messages level by level, each level's topics in the order they first
    /// appeared; a new value for a topic keeps its place, a cleared and retained again one goes last.
    @Test func matchesComeInTheOrderTopicsFirstAppeared() throws {
        let store = RetainedStore()
        let retain = Self.retainer(store)
        for topic in ["z/2", "a/9", "z/1", "m", "a/3"] { retain(topic, "x") }
        #expect(store.matching(try #require(TopicFilter("#"))).map(\.topic) == ["z/2", "z/1", "a/9", "a/3", "m"])
        #expect(store.matching(try #require(TopicFilter("+/+"))).map(\.topic) == ["z/2", "z/1", "a/9", "a/3"])
        retain("z/2", "new")
        retain("a/9", "")
        retain("a/9", "back")
        let again = store.matching(try #require(TopicFilter("#")))
        #expect(again.map(\.topic) == ["z/2", "z/1", "a/3", "a/9", "m"] && again.first?.payload == ByteBuffer(string: "new"))
    }

    @Test func theStoreServesWildcardsFromTheIndex() throws {
        let store = RetainedStore()
        let retain = Self.retainer(store)
        for index in 0..<10_000 { retain("fleet/\(index)/temp", "\(index)") }
        retain("fleet/7/door", "open")
        let filter = try #require(TopicFilter("fleet/+/door"))
        #expect(store.matching(filter).map(\.topic) == ["fleet/7/door"])
        // An empty payload clears the topic, from the index too.
        retain("fleet/7/door", "")
        #expect(store.matching(filter).isEmpty)
        #expect(store.count == 10_000)
    }

    /// Retains a payload on a topic of `store` (an empty one clears it).
    static func retainer(_ store: RetainedStore) -> (String, String) -> Void {
        let generator = MessageIDGenerator(node: "t")
        return { topic, payload in
            store.set(BrokerMessage(id: generator.next(), topic: topic, payload: ByteBuffer(string: payload), qos: .atMostOnce,
                                    retain: true, publisher: nil, properties: nil, expiresAt: nil, timestampMillis: 0))
        }
    }
}
