import ConsoleUI
import Testing

/// Full-screen text snapshots of the dashboard from `Fixtures.snapshot`. Each row is framed in `|` so
/// trailing spaces are visible and survive editors.
@Suite struct DashboardSnapshotTests {
    static let expected80x24 = #"""
        | mqtop  embedded · mqtt :1883 · redis (master, 1.2 MB)       ▂▃▅▇▆▄█ 1.4k msg/s |
        |┌ 1 Clients  online 2 / total 3 ───────┐┌ 2 Subscriptions  5 ──────────────────┐|
        |│ CLIENT ID   STATE     NODE      SINCE││ CLIENT ID     FILTER       QOS SOURCE│|
        |│▌cli-alpha   ● online  mqtop…  12m ago││▌cli-alpha     sensor/+/te…   1 stored│|
        |│ 设备-01     ● online  mqtop…   3s ago││ cli-alpha     alerts/#       2 live  │|
        |│ cli-gamma   ○ offline          1m ago││ cli-gamma     queue/jobs     1 stored│|
        |│                                      ││ 设备-01       sensor/kitc…   0 both  │|
        |│                                      ││ cli-alpha     building/no…   1 stored│|
        |│                                      ││                                      │|
        |└──────────────────────────────────────┘└──────────────────────────────────────┘|
        |┌ 3 Retained  4 ───────────────────────┐┌ 4 Queues  1 topic · 5 msgs ──────────┐|
        |│ TOPIC        QOS FROM    AGE PAYLOAD ││ TOPIC        DEPTH OLDEST BACKLOG    │|
        |│▌rt/kitchen     1 cli-a…   2m 21.5°C  ││▌queue/jobs       5    40s cli-gamma 5│|
        |│ rt/garage      1 cli-g…   9m open    ││                                      │|
        |│ sensor/kitc…   0 设备-…   5s {"t":21…││                                      │|
        |│ building/no…   1 cli-a…   2h line1\n…││                                      │|
        |│                                      ││                                      │|
        |│                                      ││                                      │|
        |└──────────────────────────────────────┘└──────────────────────────────────────┘|
        |┌ Events ──────────────────────────────────────────────────────────────────────┐|
        |│ 22:12:11  connect     设备-01 from 127.0.0.1:50412 (v5)                      │|
        |│ 22:12:09  subscribe   via mqtt_channel: cli-alpha alerts/# qos 2             │|
        |└──────────────────────────────────────────────────────────────────────────────┘|
        | ? help  Tab pane  / filter  Enter detail  s subscribe  k kick  p pause  q quit |
        """#

    static let expected120x40 = #"""
        | mqtop  embedded · broker mqtt://127.0.0.1:1883 · redis unix:…/redis.sock (master, 1.2 MB)           ▂▃▅▇▆▄█ 1.4k msg/s |
        |┌ 1 Clients  online 2 / total 3 ───────────────────────────┐┌ 2 Subscriptions  5 ──────────────────────────────────────┐|
        |│ CLIENT ID               STATE     NODE              SINCE││ CLIENT ID             FILTER                   QOS SOURCE│|
        |│▌cli-alpha               ● online  mqtop@devbox    12m ago││▌cli-alpha             sensor/+/temp              1 stored│|
        |│ 设备-01                 ● online  mqtop@devbox     3s ago││ cli-alpha             alerts/#                   2 live  │|
        |│ cli-gamma               ○ offline                  1m ago││ cli-gamma             queue/jobs                 1 stored│|
        |│                                                          ││ 设备-01               sensor/kitchen/temp        0 both  │|
        |│                                                          ││ cli-alpha             building/north-wing/flo…   1 stored│|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |└──────────────────────────────────────────────────────────┘└──────────────────────────────────────────────────────────┘|
        |┌ 3 Retained  4 ───────────────────────────────────────────┐┌ 4 Queues  1 topic · 5 msgs ──────────────────────────────┐|
        |│ TOPIC                QOS FROM       AGE PAYLOAD          ││ TOPIC                DEPTH OLDEST BACKLOG                │|
        |│▌rt/kitchen             1 cli-alpha   2m 21.5°C           ││▌queue/jobs               5    40s cli-gamma 5            │|
        |│ rt/garage              1 cli-gamma   9m open             ││                                                          │|
        |│ sensor/kitchen/temp    0 设备-01     5s {"t":21.5,"unit"…││                                                          │|
        |│ building/north-wing…   1 cli-alpha   2h line1\nline2\e[3…││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |│                                                          ││                                                          │|
        |└──────────────────────────────────────────────────────────┘└──────────────────────────────────────────────────────────┘|
        |┌ Events ──────────────────────────────────────────────────────────────────────────────────────────────────────────────┐|
        |│ 22:12:11  connect     设备-01 from 127.0.0.1:50412 (v5)                                                              │|
        |│ 22:12:09  subscribe   via mqtt_channel: cli-alpha alerts/# qos 2                                                     │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |│                                                                                                                      │|
        |└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘|
        | ? help  Tab pane  / filter  Enter detail  s subscribe  k kick  o hide offline  t theme  p pause  q quit                |
        """#

    static func framed(_ buffer: ScreenBuffer) -> String {
        buffer.lines.map { "|" + $0 + "|" }.joined(separator: "\n")
    }

    @Test func dashboardAt80x24() {
        let screen = Fixtures.state(width: 80, height: 24).render()
        #expect(Self.framed(screen) == Self.expected80x24)
        FrameCheck.expectIntact(screen)
    }

    @Test func dashboardAt120x40() {
        let screen = Fixtures.state(width: 120, height: 40).render()
        #expect(Self.framed(screen) == Self.expected120x40)
        FrameCheck.expectIntact(screen)
    }

    @Test func cjkClientIDIsAlignedWithTheOtherRows() {
        let screen = Fixtures.state(width: 120, height: 40).render()
        let rows = screen.lines
        let stateColumn = { (line: String) -> Int? in
            guard let range = line.range(of: "● online") else { return nil }
            return CharWidth.of(String(line[..<range.lowerBound]))
        }
        #expect(rows[3].contains("cli-alpha") && rows[4].contains("设备-01"))
        #expect(stateColumn(rows[3]) != nil)
        #expect(stateColumn(rows[3]) == stateColumn(rows[4]))
    }

    @Test(arguments: [(81, 25), (99, 31), (100, 30), (121, 41), (157, 50), (200, 60), (80, 24), (120, 40)])
    func oddSizesFillEveryRowAndKeepBorders(size: (Int, Int)) {
        var state = Fixtures.state(width: size.0, height: size.1)
        FrameCheck.expectIntact(state.render())
        // Focus and selection elsewhere, with a filter, must not break the frame either.
        _ = state.press(.tab, .char("/"), .char("a"), .enter, .down)
        FrameCheck.expectIntact(state.render())
    }

    @Test func embeddedColumnsAppearWhenWide() {
        let wide = Fixtures.state(width: 240, height: 40).render().lines.joined(separator: "\n")
        for heading in ["ADDRESS", "PROTO", "KEEPALIVE", "INFLIGHT", "QUEUED"] { #expect(wide.contains(heading)) }
        #expect(wide.contains("127.0.0.1:50410"))
        let narrow = Fixtures.state(width: 120, height: 40).render().lines.joined(separator: "\n")
        #expect(!narrow.contains("ADDRESS"))
        var attach = Fixtures.snapshot
        attach.header.mode = .attach
        let attached = Fixtures.state(width: 240, height: 40, snapshot: attach).render().lines.joined(separator: "\n")
        #expect(!attached.contains("ADDRESS"))
    }

    @Test func tooSmallAt79x24() {
        let screen = Fixtures.state(width: 79, height: 24).render()
        #expect(screen.lines.count == 24)
        #expect(screen.lines.allSatisfy { CharWidth.of($0) == 79 })
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("terminal too small (needs 80x24)"))
        #expect(text.contains("now 79x24"))
        #expect(!text.contains("Clients"))
    }

    @Test func tooSmallAt40x10() {
        let screen = Fixtures.state(width: 40, height: 10).render()
        #expect(Self.framed(screen) == #"""
        |                                        |
        |                                        |
        |                                        |
        |                                        |
        |    terminal too small (needs 80x24)    |
        |               now 40x10                |
        |                                        |
        |                                        |
        |                                        |
        |                                        |
        """#)
    }

    @Test func tinyAndEmptyTerminalsDoNotCrash() {
        for (w, h) in [(0, 0), (1, 1), (10, 2), (80, 23), (30, 8)] {
            let screen = Fixtures.state(width: w, height: h).render()
            #expect(screen.lines.count == h)
            #expect(screen.lines.allSatisfy { CharWidth.of($0) == w })
        }
    }

    @Test func reconnectingRedisIsShownInTheErrorRole() {
        var snapshot = Fixtures.snapshot
        snapshot.header.redisState = .reconnecting(lastError: "connection refused")
        let screen = Fixtures.state(width: 80, height: 24, snapshot: snapshot).render()
        #expect(screen.text(row: 0).contains("(reconnecting: connection refused)"))
        let run = screen.runs(row: 0).first { $0.text.contains("reconnecting") }
        #expect(run?.style.role == .error)
    }

    @Test func emptySnapshotShowsEmptyTexts() {
        let screen = Fixtures.state(width: 120, height: 40, snapshot: .init()).render()
        let text = screen.lines.joined(separator: "\n")
        for empty in [UIStrings.emptyClients, UIStrings.emptySubscriptions, UIStrings.emptyRetained,
                      UIStrings.emptyQueues, UIStrings.emptyEvents] {
            #expect(text.contains(empty))
        }
        FrameCheck.expectIntact(screen)
    }
}
