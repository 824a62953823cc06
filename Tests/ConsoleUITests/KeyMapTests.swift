import EMQXLayout
import ConsoleUI
import Foundation
import Monitor
import Testing

@Suite struct KeyMapTests {
    @Test func focusCyclesWithTabBackTabAndDigits() {
        var state = Fixtures.state()
        #expect(state.focus == .clients)
        var seen: [PaneKind] = []
        for _ in 0..<5 {
            _ = state.handle(.tab)
            seen.append(state.focus)
        }
        #expect(seen == [.subscriptions, .retained, .queues, .topics, .clients])
        _ = state.handle(.backTab)
        #expect(state.focus == .topics)
        _ = state.handle(.char("3"))
        #expect(state.focus == .retained)
        _ = state.handle(.char("1"))
        #expect(state.focus == .clients)
        // The focused pane's title is drawn in the focused role.
        let screen = state.render()
        let clients = state.layout.rect(of: .clients)
        let subscriptions = state.layout.rect(of: .subscriptions)
        #expect(screen[clients.row, clients.column + 2].style.role == .titleFocused)
        #expect(screen[subscriptions.row, subscriptions.column + 2].style.role == .title)
    }

    @Test func arrowsViKeysAndHomeEndMoveTheSelection() {
        var state = Fixtures.state()
        _ = state.press(.char("j"))
        #expect(state.selectedID(in: .clients) == "设备-01")
        _ = state.press(.down, .down, .down)
        #expect(state.selectedID(in: .clients) == "cli-gamma")
        _ = state.press(.up)
        #expect(state.selectedIndex(in: .clients) == 1)
        _ = state.press(.home)
        #expect(state.selectedIndex(in: .clients) == 0)
        _ = state.press(.end)
        #expect(state.selectedIndex(in: .clients) == 2)
        _ = state.press(.up, .up, .up)
        #expect(state.selectedIndex(in: .clients) == 0)
        // Other panes keep their own selection.
        _ = state.press(.char("2"), .down)
        #expect(state.selectedIndex(in: .subscriptions) == 1)
        #expect(state.selectedIndex(in: .clients) == 0)
        // Outside Clients, where `k` kicks, vi's k moves up.
        _ = state.press(.char("j"), .char("k"))
        #expect(state.selectedIndex(in: .subscriptions) == 1)
    }

    @Test func pagingScrollsAndKeepsTheSelectionVisible() {
        var snapshot = Fixtures.snapshot
        snapshot.clients = (0..<50).map { ClientRow(clientID: String(format: "client-%02d", $0), online: $0 % 3 != 0) }
        var state = Fixtures.state(width: 80, height: 24, snapshot: snapshot)
        let page = state.layout.visibleRows(of: .clients)
        #expect(page == 6)
        _ = state.press(.pageDown)
        #expect(state.selectedIndex(in: .clients) == 6)
        #expect(state.scrollOffset(in: .clients) == 1)
        _ = state.press(.end)
        #expect(state.selectedIndex(in: .clients) == 49)
        #expect(state.scrollOffset(in: .clients) == 44)
        var text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("▌client-49"))
        #expect(!text.contains("client-43"))
        #expect(text.contains(" 50/50 "))
        _ = state.press(.pageUp)
        #expect(state.selectedIndex(in: .clients) == 43)
        #expect(state.scrollOffset(in: .clients) == 43)
        _ = state.press(.home)
        #expect(state.scrollOffset(in: .clients) == 0)
        text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("▌client-00") && text.contains("client-05") && !text.contains("client-06"))
        // A taller terminal shows more rows; the offset is re-clamped on resize.
        _ = state.press(.end, .resize(width: 120, height: 40))
        #expect(state.scrollOffset(in: .clients) == 50 - state.layout.visibleRows(of: .clients))
    }

    @Test func substringFilterNarrowsAndEscClears() {
        var state = Fixtures.state()
        _ = state.press(.char("/"))
        state.type("GAM")
        #expect(state.visibleRows(of: .clients).map(\.id) == ["cli-gamma"])
        #expect(state.render().text(row: 1).contains("/GAM (1 of 3)"))
        _ = state.press(.enter)
        #expect(state.overlay == .none)
        #expect(state.filter(of: .clients).text == "GAM")
        _ = state.press(.escape)
        #expect(state.filter(of: .clients).isEmpty)
        #expect(state.visibleRows(of: .clients).count == 3)
        // Esc while typing clears too; Backspace edits.
        _ = state.press(.char("/"), .char("x"), .char("y"), .backspace)
        #expect(state.filter(of: .clients).text == "x")
        _ = state.press(.escape)
        #expect(state.filter(of: .clients).isEmpty && state.overlay == .none)
    }

    @Test func wildcardFilterOnTopicPanes() {
        var state = Fixtures.state()
        _ = state.press(.char("3"), .char("/"))
        state.type("sensor/+/temp")
        _ = state.press(.enter)
        #expect(state.visibleRows(of: .retained).map(\.id) == ["sensor/kitchen/temp"])
        _ = state.press(.char("2"), .char("/"))
        state.type("sensor/+/temp")
        #expect(state.visibleRows(of: .subscriptions).map(\.cells[1].text) == ["sensor/+/temp", "sensor/kitchen/temp"])
        _ = state.press(.escape, .char("3"), .escape, .char("/"))
        state.type("rt/#")
        #expect(state.visibleRows(of: .retained).map(\.id) == ["rt/kitchen", "rt/garage"])
        // On Clients, + is just a character.
        _ = state.press(.enter, .char("1"), .char("/"))
        state.type("+")
        #expect(state.visibleRows(of: .clients).isEmpty)
        #expect(state.render().lines.joined().contains(UIStrings.noMatch("+")))
    }

    @Test func selectionFollowsIdentityAcrossSnapshots() {
        var state = Fixtures.state()
        _ = state.press(.end)
        #expect(state.selectedID(in: .clients) == "cli-gamma")
        var next = Fixtures.snapshot
        next.clients.insert(ClientRow(clientID: "aaa-new", online: true), at: 0)
        next.clients.insert(ClientRow(clientID: "aab-new", online: true), at: 1)
        state.update(snapshot: next)
        #expect(state.selectedID(in: .clients) == "cli-gamma")
        #expect(state.selectedIndex(in: .clients) == 4)
        // When the selected row disappears, the selection stays at the same place.
        next.clients.removeAll { $0.clientID == "cli-gamma" }
        state.update(snapshot: next)
        #expect(state.selectedIndex(in: .clients) == 3)
        #expect(state.selectedID(in: .clients) == "设备-01")
        // Subscriptions are identified by client and filter together.
        _ = state.press(.char("2"), .down)
        #expect(state.selectedID(in: .subscriptions)?.hasSuffix("alerts/#") == true)
        var reordered = next
        reordered.subscriptions.reverse()
        state.update(snapshot: reordered)
        #expect(state.selectedIndex(in: .subscriptions) == 3)
    }

    @Test func subscribeFormFlowShowsTheExactWritesThenActs() {
        var state = Fixtures.state()
        _ = state.press(.char("s"))
        guard case .form(let form) = state.overlay else {
            Issue.record("no form: \(state.overlay)")
            return
        }
        #expect(form.clientID.text == "cli-alpha")
        #expect(form.qos.text == "1")
        #expect(form.focus == .filter)
        #expect(state.render().lines.joined().contains("Client ID  cli-alpha"))
        state.type("sensor/+/temp")
        #expect(state.press(.enter).isEmpty)
        guard case .confirm(let confirmation) = state.overlay else {
            Issue.record("no confirmation: \(state.overlay)")
            return
        }
        let expected = #"will write: HSET mqtt:sub:cli-alpha sensor/+/temp 1 / PUBLISH mqtt_channel {"type":"subscribe","topic":"sensor/+/temp","clientid":"cli-alpha","qos":1} — y/n"#
        #expect(confirmation.text == expected)
        // The screen shows it whole, wrapped between tokens over the bottom rows.
        let screen = state.render()
        let wrapped = TextFit.softWrap(expected, to: 118)
        #expect(wrapped.count == 2 && wrapped.joined() == expected)
        #expect(Array(screen.lines.suffix(wrapped.count)) == wrapped.map { TextFit.fit(" " + $0, to: 120) })
        #expect(wrapped[0].hasSuffix(" ") || wrapped[0].hasSuffix(","))
        let actions = state.press(.char("y"))
        #expect(actions == [.subscribe(clientID: "cli-alpha", filter: "sensor/+/temp", qos: 1)])
        #expect(state.overlay == .none)
        #expect(state.statusMessage?.hasPrefix("sent: HSET mqtt:sub:cli-alpha") == true)
    }

    @Test func subscribeFormValidatesAndTabsBetweenFields() {
        var state = Fixtures.state()
        _ = state.press(.char("4"), .char("s"))
        guard case .form(let empty) = state.overlay else { return }
        #expect(empty.clientID.text == "" && empty.focus == .clientID)
        state.type("dev 1")
        _ = state.press(.tab)
        state.type("a/#/b")
        _ = state.press(.tab, .backspace)
        state.type("3")
        _ = state.press(.enter)
        guard case .form(let invalid) = state.overlay else { return }
        #expect(invalid.error == UIStrings.errorFilterInvalid && invalid.focus == .filter)
        _ = state.press(.backspace, .backspace, .backspace)
        state.type("b")
        _ = state.press(.enter)
        guard case .form(let badQoS) = state.overlay else { return }
        #expect(badQoS.error == UIStrings.errorQoS && badQoS.focus == .qos)
        #expect(state.render().lines.joined().contains(UIStrings.errorQoS))
        _ = state.press(.backspace)
        state.type("0")
        _ = state.press(.backTab, .backTab, .enter)
        guard case .confirm(let confirmation) = state.overlay else { return }
        // Spaces in an argument are quoted, like redis-cli.
        #expect(confirmation.commands[0].description == "HSET 'mqtt:sub:dev 1' a/b 0")
        #expect(confirmation.action == .subscribe(clientID: "dev 1", filter: "a/b", qos: 0))
        _ = state.press(.escape)
        #expect(state.overlay == .none && state.statusMessage == UIStrings.cancelled)
    }

    @Test func configuredChannelAndJSONEscapingAppearInTheConfirmText() {
        var state = DashboardState(configuration: DashboardConfiguration(channel: "ops_channel", timeZone: Fixtures.utc),
                                   snapshot: Fixtures.snapshot, size: TerminalSize(width: 120, height: 40), now: Fixtures.now)
        _ = state.press(.char("4"), .char("s"))
        state.type(#"a"b\c"#)
        _ = state.press(.tab)
        state.type("t/1")
        _ = state.press(.enter)
        guard case .confirm(let confirmation) = state.overlay else { return }
        #expect(confirmation.commands[1].arguments == ["PUBLISH", "ops_channel",
                                                       #"{"type":"subscribe","topic":"t/1","clientid":"a\"b\\c","qos":1}"#])
        #expect(confirmation.text.contains(#"PUBLISH ops_channel {"type":"subscribe","topic":"t/1","clientid":"a\"b\\c","qos":1}"#))
    }

    @Test func theApprovedWriteKeepsTheLayoutItsConfirmLineShowed() {
        // The confirm line is drawn for the plugin's layout; the verdict changes before `y`.
        var snapshot = Fixtures.snapshot
        let plugin = StoreLayout.omp(OfflineMessageLayout(score: .publishTime))
        snapshot.header.layout = LayoutReport(layout: plugin, basis: .provisional)
        var state = DashboardState(configuration: DashboardConfiguration(timeZone: Fixtures.utc), snapshot: snapshot,
                                   size: TerminalSize(width: 120, height: 40), now: Fixtures.now)
        _ = state.press(.char("4"), .char("s"))
        state.type("dev-9")
        _ = state.press(.tab)
        state.type("t/1")
        _ = state.press(.enter)
        guard case .confirm(let confirmation) = state.overlay else { return }
        #expect(confirmation.commands.map(\.description) == ["HSET mqtt:sub:dev-9 t/1 1"])
        snapshot.header.layout = LayoutReport(layout: .emqx4, basis: .detected)
        state.update(snapshot: snapshot)
        #expect(state.press(.char("y")) == [.subscribe(clientID: "dev-9", filter: "t/1", qos: 1)])
        #expect(state.approvedLayout == plugin)
    }

    @Test func unsubscribeConfirmsTheSelectedSubscription() {
        var state = Fixtures.state()
        #expect(state.press(.char("u")).isEmpty)
        #expect(state.statusMessage == UIStrings.needSubscription && state.overlay == .none)
        _ = state.press(.char("2"), .down, .char("u"))
        guard case .confirm(let confirmation) = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.text == #"will write: HDEL mqtt:sub:cli-alpha alerts/# / PUBLISH mqtt_channel {"type":"unsubscribe","topic":"alerts/#","clientid":"cli-alpha"} — y/n"#)
        #expect(state.press(.char("n")).isEmpty)
        #expect(state.overlay == .none && state.statusMessage == UIStrings.cancelled)
        #expect(state.press(.char("u"), .char("x")).isEmpty)   // other keys leave the prompt up
        #expect(state.press(.char("y")) == [.unsubscribe(clientID: "cli-alpha", filter: "alerts/#")])
    }

    @Test func deleteRetainedConfirmsTheSelectedTopic() {
        var state = Fixtures.state()
        _ = state.press(.char("3"), .char("d"))
        guard case .confirm(let confirmation) = state.overlay else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.text == "will write: DEL mqtt:retain:rt/kitchen — y/n")
        #expect(state.render().lines.last == " will write: DEL mqtt:retain:rt/kitchen — y/n".padding(toLength: 120, withPad: " ", startingAt: 0))
        _ = state.press(.escape)
        #expect(state.overlay == .none)
        #expect(state.press(.down, .char("d"), .char("Y")) == [.deleteRetained(topic: "rt/garage")])
    }

    @Test func readOnlyRefusesWritesAndSaysSo() {
        var state = Fixtures.state(readOnly: true)
        let footer = state.render().lines.last ?? ""
        #expect(footer.contains("read-only") && !footer.contains("subscribe"))
        #expect(state.render().text(row: 0).contains("read-only"))
        #expect(state.press(.char("s")).isEmpty)
        #expect(state.overlay == .none && state.statusMessage == UIStrings.readOnlyRefusal(UIStrings.whatSubscribe))
        #expect(state.render().lines.last?.contains("read-only: subscribe is disabled") == true)
        #expect(state.press(.char("2"), .char("u")).isEmpty)
        #expect(state.overlay == .none && state.statusMessage == UIStrings.readOnlyRefusal(UIStrings.whatUnsubscribe))
        #expect(state.press(.char("3"), .char("d")).isEmpty)
        #expect(state.overlay == .none && state.statusMessage == UIStrings.readOnlyRefusal(UIStrings.whatDelete))
        // The message lasts one key.
        _ = state.press(.down)
        #expect(state.statusMessage == nil)
    }

    @Test func pauseHoldsSnapshotsUntilResumed() {
        var state = Fixtures.state()
        #expect(state.press(.char("p")) == [.togglePause])
        #expect(state.paused)
        #expect(state.render().text(row: 0).contains("PAUSED"))
        var next = Fixtures.snapshot
        next.clients.append(ClientRow(clientID: "late-comer", online: true))
        state.update(snapshot: next)
        #expect(!state.render().lines.joined().contains("late-comer"))
        #expect(state.press(.char("p")) == [.togglePause])
        #expect(!state.paused)
        #expect(state.render().lines.joined().contains("late-comer"))
        #expect(!state.render().text(row: 0).contains("PAUSED"))
    }

    @Test func helpOpensAndAnyKeyCloses() {
        var state = Fixtures.state()
        _ = state.press(.char("?"))
        #expect(state.overlay == .help)
        let text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("┌ Help ") && text.contains("next / previous pane") && text.contains("quit"))
        #expect(state.press(.char("q")).isEmpty)   // q closes the help rather than quitting
        #expect(state.overlay == .none)
    }

    @Test func quitThemeAndCtrlC() {
        var state = Fixtures.state()
        #expect(state.press(.char("q")) == [.quit])
        #expect(state.press(.ctrlC) == [.quit])
        #expect(state.press(.char("t")) == [.nextTheme])
        _ = state.press(.char("s"))
        #expect(state.press(.char("q")).isEmpty)     // typed into the form
        #expect(state.press(.ctrlC) == [.quit])       // but Ctrl-C always quits
    }

    @Test func clientDetailShowsSubscriptionsAndBacklog() {
        var state = Fixtures.state()
        _ = state.press(.end, .enter)
        #expect(state.overlay == .detail(DetailState(target: .client("cli-gamma"))))
        let text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("┌ Client cli-gamma "))
        #expect(text.contains("Subscriptions (1)") && text.contains("queue/jobs        qos 1  stored"))
        #expect(text.contains("Backlog (1)") && text.contains("5 pending"))
        _ = state.press(.escape)
        #expect(state.overlay == .none)
        // From the Subscriptions pane, Enter opens the subscriber.
        _ = state.press(.char("2"), .enter)
        #expect(state.overlay == .detail(DetailState(target: .client("cli-alpha"))))
    }

    @Test func queueDetailListsBacklogPerSubscriber() {
        var state = Fixtures.state()
        _ = state.press(.char("4"), .enter)
        #expect(state.overlay == .detail(DetailState(target: .queue("queue/jobs"))))
        let text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("┌ Queue queue/jobs ") && text.contains("Depth       5") && text.contains("Oldest      40s ago"))
        #expect(text.contains("cli-gamma         5 pending"))
        #expect(state.footerHints.first == UIStrings.hintBack)
        // Nothing selected: Enter says so instead of opening an empty page.
        var empty = Fixtures.state(snapshot: .init())
        _ = empty.press(.enter)
        #expect(empty.overlay == .none && empty.statusMessage == UIStrings.nothingSelected)
    }

    @Test func retainedDetailCyclesTextJSONAndHex() {
        var state = Fixtures.state()
        _ = state.press(.char("3"), .down, .down, .enter)
        var text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("Retained sensor/kitchen/temp · text"))
        #expect(text.contains(#"{"t":21.5,"unit":"C","tags":["a","b"],"meta":{}}"#))
        _ = state.press(.char("v"))
        text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("Retained sensor/kitchen/temp · json"))
        #expect(text.contains("│   \"t\": 21.5,"))
        #expect(text.contains("│   \"meta\": {}"))
        _ = state.press(.char("v"))
        text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("00000000  7b 22 74 22 3a 32 31 2e  35 2c 22 75 6e 69 74 22  |{\"t\":21.5,\"unit\"|"))
        _ = state.press(.char("v"))
        guard case .detail(let detail) = state.overlay else { return }
        #expect(detail.payloadView == .text)
        // Escaped control characters in the text view; a missing entity says so.
        _ = state.press(.escape, .down, .enter)
        text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("line2\\e[31m"))
        state.update(snapshot: .init())
        #expect(state.render().lines.joined().contains(UIStrings.detailGone))
    }

    @Test func detailScrollsWithinBounds() {
        var snapshot = Fixtures.snapshot
        snapshot.retained[0].payload = Data((0..<100).map { "line \($0)" }.joined(separator: "\n").utf8)
        var state = Fixtures.state(width: 80, height: 24, snapshot: snapshot)
        _ = state.press(.char("3"), .enter, .pageDown, .down)
        guard case .detail(let detail) = state.overlay else { return }
        #expect(detail.scroll == 20)
        _ = state.press(.end)
        guard case .detail(let end) = state.overlay else { return }
        let text = state.render().lines.joined(separator: "\n")
        #expect(text.contains("line 99") && end.scroll > 20)
        _ = state.press(.end, .down)
        guard case .detail(let clamped) = state.overlay else { return }
        #expect(clamped.scroll == end.scroll)
        FrameCheck.expectBox(state.layout.body, in: state.render())
    }

    @Test func resizeBelowMinimumShowsTheMessageAndBack() {
        var state = Fixtures.state()
        _ = state.press(.resize(width: 79, height: 24))
        #expect(state.render().lines.joined().contains("terminal too small"))
        _ = state.press(.resize(width: 80, height: 24))
        FrameCheck.expectIntact(state.render())
    }
}
