import MQTTCore
import Testing

struct TopicTests {
    @Test(arguments: ["a", "a/b", "/", "a//b", "$SYS/x", "设备/温度", " "])
    func validNames(_ name: String) { #expect(TopicName(name) != nil) }

    @Test(arguments: ["", "a/+", "#", "a/#/b", "a\u{0}b"])
    func invalidNames(_ name: String) { #expect(TopicName(name) == nil) }

    @Test(arguments: ["#", "+", "a/#", "a/+/b", "+/+", "/+", "a//#", "$SYS/#", "+/", "a/b"])
    func validFilters(_ filter: String) { #expect(TopicFilter(filter) != nil) }

    @Test(arguments: ["", "a#", "a/#/b", "a+/b", "a/b+", "#/a", "a/++", "##"])
    func invalidFilters(_ filter: String) { #expect(TopicFilter(filter) == nil) }

    @Test(arguments: [
        ("a/b", "a/b", true), ("a/+", "a/b", true), ("a/+", "a/b/c", false), ("a/#", "a", true),
        ("a/#", "a/b/c", true), ("#", "a/b", true), ("+/+", "/x", true), ("+", "/x", false),
        ("+/#", "a", true), ("a/+/c", "a//c", true), ("#", "$SYS/x", false), ("+/x", "$SYS/x", false),
        ("$SYS/#", "$SYS/x", true), ("a/b", "a/b/", false), ("a/b/", "a/b/", true), ("/#", "/", true),
        ("sensor/+/temp", "sensor/设备/temp", true), ("a", "ab", false), ("ab", "a", false),
    ])
    func matching(filter: String, topic: String, expected: Bool) throws {
        let f = try #require(TopicFilter(filter))
        let t = try #require(TopicName(topic))
        #expect(f.matches(t) == expected, "\(filter) vs \(topic)")
    }

    @Test func sharedSubscriptions() {
        #expect(SubscriptionTarget("$share/g1/a/+") == .shared(group: "g1", filter: TopicFilter("a/+")!))
        #expect(SubscriptionTarget("$share/g1") == nil)
        #expect(SubscriptionTarget("$share//a") == nil)
        #expect(SubscriptionTarget("$share/g+/a") == nil)
        #expect(SubscriptionTarget("a/b")?.shareGroup == nil)
        #expect(SubscriptionTarget("$share/g/a/#")?.description == "$share/g/a/#")
    }
}
