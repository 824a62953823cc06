import ConsoleUI
import Foundation
import Monitor
import Testing

/// Pane 5: the traffic list and tree, the message tail, and the publish and kick commands.
@Suite struct TopicsPaneTests {
    @Test func listShowsCountsRatesAndLastPayloadSortedByRate() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"))
        let rows = state.visibleRows(of: .topics).map(\.id)
        // By rate, then (rates equal to two digits) by name, so rows keep still on noise.
        #expect(rows == ["demo/hello", "home/garage/door", "home/kitchen/light", "home/kitchen/temp"])
        let hello = state.visibleRows(of: .topics)[0].cells.map(\.text)
        #expect(hello == ["demo/hello", "24", "2.0/s", "135 B", "0s", "0", "", "msg 24"])
        // Shed messages count exactly though their payloads were not kept.
        let light = state.visibleRows(of: .topics)[2].cells.map(\.text)
        #expect(light[1] == "5" && light[7] == "")
        let screen = state.render().lines.joined(separator: "\n")
        #expect(screen.contains("5 Topics  4 · 2 msg/s · 32 msgs · by rate"))
        #expect(screen.contains("home/kitchen/temp") && screen.contains(#"{"t":21.7,"unit":"C"}"#))
    }

    @Test func sortCyclesRateCountName() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("S"))
        #expect(state.topicOrder == .count)
        #expect(state.statusMessage == UIStrings.sortedBy(.count))
        #expect(state.visibleRows(of: .topics).map(\.id).first == "demo/hello")
        _ = state.press(.char("S"))
        #expect(state.visibleRows(of: .topics).map(\.id)
            == ["demo/hello", "home/garage/door", "home/kitchen/light", "home/kitchen/temp"])
        _ = state.press(.char("S"))
        #expect(state.topicOrder == .rate)
    }

    @Test func wildcardFilterPicksTopics() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("/"))
        state.type("home/+/temp")
        _ = state.press(.enter)
        #expect(state.visibleRows(of: .topics).map(\.id) == ["home/kitchen/temp"])
        _ = state.press(.escape)
        #expect(state.visibleRows(of: .topics).count == 4)
    }

    @Test func treeGroupsLevelsWithSummedCountsAndOpensOnEnter() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("T"))
        #expect(state.visibleRows(of: .topics).map { $0.cells[0].text } == ["▸ demo", "▸ home"])
        #expect(state.visibleRows(of: .topics)[1].cells[1].text == "8")
        #expect(state.visibleRows(of: .topics)[0].cells[1].text == "24")
        _ = state.press(.down, .enter)
        #expect(state.visibleRows(of: .topics).map { $0.cells[0].text }
            == ["▸ demo", "▾ home", "  ▸ garage", "  ▸ kitchen"])
        _ = state.press(.down, .down, .enter, .down, .down)
        #expect(state.selectedTopic == "home/kitchen/temp")
        _ = state.press(.enter)
        guard case .detail(let detail) = state.overlay else {
            Issue.record("no detail: \(state.overlay)")
            return
        }
        #expect(detail.target == .topic("home/kitchen/temp"))
        _ = state.press(.escape, .char("T"))
        #expect(state.visibleRows(of: .topics).count == 4)
    }

    @Test func tailListsNewestFirstWithPropertiesAndWhatChanged() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("/"))
        state.type("temp")
        _ = state.press(.enter, .enter)
        let screen = state.render().lines
        let text = screen.joined(separator: "\n")
        #expect(text.contains("Topic home/kitchen/temp · text"))
        #expect(text.contains("Last 2 messages, newest first"))
        let newest = screen.firstIndex { $0.contains("22:13:17.000  qos 1  retain  from dev-1  21 B  changed: t") }
        let oldest = screen.firstIndex { $0.contains("22:12:50.000  qos 1  from dev-1  21 B  first kept") }
        #expect(newest != nil && oldest != nil && (newest ?? 0) < (oldest ?? 0))
        #expect(text.contains("content type: application/json") && text.contains("user site: north"))
        _ = state.press(.char("v"))
        #expect(state.render().lines.contains { $0.contains(#""unit": "C""#) })
        _ = state.press(.char("v"))
        #expect(state.render().lines.contains { $0.contains("7b 22 74 22") })
    }

    @Test func publishFormPrefillsTheTopicAndConfirmsExactly() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("P"))
        guard case .publish(let form) = state.overlay else {
            Issue.record("no publish form: \(state.overlay)")
            return
        }
        #expect(form.topic.text == "demo/hello" && form.focus == .payload)
        #expect(form.qos.text == "0" && form.retain.text == "no")
        state.type("hi there")
        _ = state.press(.enter)
        guard case .confirm(let confirmation) = state.overlay else {
            Issue.record("no confirmation: \(state.overlay)")
            return
        }
        #expect(confirmation.text == "will publish: topic demo/hello qos 0 payload 'hi there' — y/n")
        #expect(state.press(.char("y")) == [.publish(topic: "demo/hello", payload: "hi there", qos: 0, retain: false)])
        #expect(state.statusMessage == "published to demo/hello (qos 0)")
    }

    @Test func publishFormRefusesWildcardsAndBadFlags() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("3"), .char("P"))
        guard case .publish(let prefilled) = state.overlay else { return }
        #expect(prefilled.topic.text == "rt/kitchen" && prefilled.retain.text == "yes")
        _ = state.press(.escape, .char("5"), .char("P"), .backTab)
        for _ in 0..<"demo/hello".count { _ = state.press(.backspace) }
        state.type("a/#")
        _ = state.press(.enter)
        guard case .publish(let bad) = state.overlay else { return }
        #expect(bad.error == UIStrings.errorTopicInvalid && bad.focus == .topic)
        _ = state.press(.backspace)
        state.type("b")
        _ = state.press(.tab, .tab, .tab, .backspace, .backspace)
        state.type("maybe")
        _ = state.press(.enter)
        guard case .publish(let badRetain) = state.overlay else { return }
        #expect(badRetain.error == UIStrings.errorRetain && badRetain.focus == .retain)
    }

    @Test func kickConfirmsAnOnlineClientOnly() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("k"))
        guard case .confirm(let confirmation) = state.overlay else {
            Issue.record("no confirmation: \(state.overlay)")
            return
        }
        #expect(confirmation.text.hasPrefix("will disconnect cli-alpha (DISCONNECT 0x98"))
        #expect(state.press(.char("y")) == [.kick(clientID: "cli-alpha")])
        _ = state.press(.end, .char("k"))
        #expect(state.overlay == .none && state.statusMessage == UIStrings.needOnlineClient)
    }

    @Test func readOnlyAndAttachSayWhyPublishAndKickAreOff() {
        var readOnly = TrafficFixtures.state(readOnly: true)
        #expect(readOnly.press(.char("k")).isEmpty && readOnly.statusMessage == UIStrings.readOnlyRefusal("kick"))
        _ = readOnly.press(.char("5"), .char("P"))
        #expect(readOnly.overlay == .none && readOnly.statusMessage == UIStrings.readOnlyRefusal("publish"))
        #expect(!readOnly.footerHints.contains(UIStrings.hintPublish))

        var attach = TrafficFixtures.state(configuration: DashboardConfiguration(canKick: false, canPublish: false))
        _ = attach.press(.char("k"))
        #expect(attach.overlay == .none && attach.statusMessage == UIStrings.kickUnavailable)
        #expect(!attach.footerHints.contains(UIStrings.hintKick))
        _ = attach.press(.char("5"), .char("P"))
        #expect(attach.statusMessage == UIStrings.publishUnavailable)
    }

    @Test func pauseHoldsTheRowsWhileCountingGoesOn() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("p"))
        state.ingestTraffic(TrafficBatch(samples: [TrafficFixtures.sample("new/topic", "x", secondsAgo: 0)]))
        state.refreshTraffic(now: Fixtures.now.addingTimeInterval(1))
        #expect(state.visibleRows(of: .topics).count == 4)
        #expect(state.traffic.topics["new/topic"]?.messages == 1)
        _ = state.press(.char("p"))
        state.refreshTraffic(now: Fixtures.now.addingTimeInterval(2))
        #expect(state.visibleRows(of: .topics).count == 5)
    }

    /// A topic's detail page stands still while paused, as the rows do, and catches up on resume.
    @Test func pauseHoldsTheTopicDetailToo() {
        var state = TrafficFixtures.state()
        _ = state.press(.char("5"), .char("/"))
        state.type("demo/hello")
        _ = state.press(.enter, .enter)
        func shown() -> [String] { state.render().lines }
        let before = shown().filter { $0.contains("from-pause") }.count
        _ = state.press(.char("p"))
        state.ingestTraffic(TrafficBatch(samples: [TrafficFixtures.sample("demo/hello", "from-pause", secondsAgo: 0)]))
        state.refreshTraffic(now: Fixtures.now.addingTimeInterval(1))
        #expect(before == 0 && shown().filter { $0.contains("from-pause") }.isEmpty)
        _ = state.press(.char("p"))
        state.refreshTraffic(now: Fixtures.now.addingTimeInterval(2))
        #expect(shown().contains { $0.contains("from-pause") })
    }

    @Test func withoutASourceThePaneSaysHowToTurnItOn() {
        var state = Fixtures.state()
        state.setTrafficNote(UIStrings.noTrafficSource)
        state.refreshTraffic(now: Fixtures.now)
        _ = state.press(.char("5"))
        #expect(state.render().lines.contains { $0.contains("add --mqtt mqtt://HOST:1883") })
    }
}

/// The live list keeps its busiest rows in view: at the top the selection stays on row 0; moved down, it
/// follows its topic.
@Suite struct TopicsSelectionTests {
    static func batch(_ topics: [(String, Int)], at seconds: Double) -> TrafficBatch {
        TrafficBatch(samples: topics.flatMap { topic, count in
            (0..<count).map { _ in TrafficFixtures.sample(topic, "x", secondsAgo: -seconds) }
        })
    }

    @Test func atTheTopTheSelectionStaysOnTheBusiestRow() {
        var state = Fixtures.state()
        _ = state.press(.char("5"))
        state.ingestTraffic(Self.batch([("a", 1), ("b", 1)], at: 0))
        state.refreshTraffic(now: Fixtures.now)
        state.ingestTraffic(Self.batch([("c", 30)], at: 1))
        state.refreshTraffic(now: Fixtures.now.addingTimeInterval(1))
        #expect(state.selectedIndex(in: .topics) == 0 && state.selectedTopic == "c")
        #expect(state.scrollOffset(in: .topics) == 0)
        // Moved off the top, the selection follows its topic as the order changes.
        _ = state.press(.down)
        let chosen = state.selectedTopic
        state.ingestTraffic(Self.batch([("d", 60)], at: 2))
        state.refreshTraffic(now: Fixtures.now.addingTimeInterval(2))
        #expect(state.selectedTopic == chosen && state.selectedIndex(in: .topics) == 2)
    }
}
