import ConsoleUI
import EMQXLayout
import Foundation
import Logging
import Monitor
import Terminal

/// The UI loop: one thread owns ncurses and the dashboard state. It draws, reads a key (waiting at most
/// 50 ms), performs what the key asked, and takes the newest snapshot from the inbox. It never waits on
/// Redis: writes run in tasks that report back through the inbox.
struct ConsoleLoop {
    let inbox: ConsoleInbox
    let configuration: DashboardConfiguration
    let themeName: String
    let writer: MonitorWriter?
    let traffic: (any TrafficSource)?
    let actions: (any ConsoleBrokerActions)?
    let initial: DashboardSnapshot
    /// Adds an event the console caused to the Events strip.
    let recordEvent: @Sendable (EventRow) -> Void
    let logger: Logger

    /// How often the Topics pane's rows and rates are re-derived (messages are counted on every turn).
    static let trafficRefresh: TimeInterval = 0.5

    /// Runs until `q`, Ctrl-C or a stop request; the terminal is restored on every way out.
    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let terminal = try NCursesTerminal(noColor: noColor)
        defer { terminal.restore() }
        var state = DashboardState(configuration: configuration, snapshot: initial, size: terminal.size, now: Date())
        var (theme, themeProblem) = Self.loadTheme(themeName, terminal: terminal)
        if let themeProblem { state.showStatus(UIStrings.themeFailed(themeProblem)) }
        var redis = initial
        var live: LiveFigures?
        var lastTick = Date()
        var lastTrafficRefresh = Date.distantPast
        var wasShowingTraffic = false
        if traffic == nil {
            state.setTrafficNote(initial.header.mode == .attach ? UIStrings.noTrafficSource : UIStrings.trafficTapOff)
        }
        var dirty = true
        while true {
            let news = inbox.drain()
            if news.stop { return }
            if news.snapshot != nil || news.live != nil {
                redis = news.snapshot ?? redis
                live = news.live ?? live
                var merged = live.map { redis.merging($0) } ?? redis
                if let figures = traffic?.brokerFigures { merged.header.broker = figures }
                state.update(snapshot: merged)
                dirty = true
            }
            for status in news.statuses {
                state.showStatus(status)
                dirty = true
            }
            if let traffic {
                let batch = traffic.drain()
                if !batch.isEmpty { state.ingestTraffic(batch) }
                // Rows are sorted only while the pane shows them, and at once when it comes into view.
                let showing = state.focus == .topics
                if showing, !wasShowingTraffic || Date().timeIntervalSince(lastTrafficRefresh) >= Self.trafficRefresh {
                    lastTrafficRefresh = Date()
                    state.setTrafficNote(traffic.trouble)
                    state.refreshTraffic(now: lastTrafficRefresh)
                    dirty = true
                }
                wasShowingTraffic = showing
            }
            if Date().timeIntervalSince(lastTick) >= 1 {
                lastTick = Date()
                state.now = lastTick
                dirty = true
            }
            if dirty {
                terminal.draw(state.render(), theme: theme)
                dirty = false
            }
            guard let key = terminal.readKey() else { continue }
            let keyRead = ContinuousClock.now
            dirty = true
            defer {
                // Key to redraw: handled, rendered and drawn (the benchmark reads these lines).
                let handled = ContinuousClock.now
                var rendered = handled
                if dirty {
                    let screen = state.render()
                    rendered = ContinuousClock.now
                    terminal.draw(screen, theme: theme)
                    dirty = false
                }
                let drawn = ContinuousClock.now
                logger.debug("key redrawn in \(Self.milliseconds(drawn - keyRead)) ms (handled \(Self.milliseconds(handled - keyRead)), rendered \(Self.milliseconds(rendered - handled)), drawn \(Self.milliseconds(drawn - rendered)))")
            }
            for action in state.handle(key) {
                switch action {
                case .quit:
                    return
                case .subscribe, .unsubscribe, .deleteRetained:
                    perform(action, layout: state.approvedLayout ?? state.storeLayout)
                case .publish, .kick:
                    act(action)
                case .nextTheme:
                    let next = Theme.nextBuiltinName(after: theme.name)
                    (theme, themeProblem) = Self.loadTheme(next, terminal: terminal)
                    state.showStatus(themeProblem.map(UIStrings.themeFailed) ?? UIStrings.themeSwitched(next))
                case .togglePause:
                    break // the state holds snapshots while paused
                }
            }
        }
    }

    /// Runs the writes the operator confirmed, off the UI thread; a failure shows in the footer.
    private func perform(_ action: Action, layout: StoreLayout) {
        guard let writer else {
            inbox.post(status: UIStrings.readOnlyRefusal("writing"))
            return
        }
        guard let write = WritePlan.write(for: action) else { return }
        let inbox = self.inbox
        let channel = configuration.channel
        Task {
            do {
                try await writer.apply(write, channel: channel, layout: layout)
            } catch {
                inbox.post(status: UIStrings.actionFailed("\(error)"))
            }
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Publishes or kicks through the broker, off the UI thread; a failure shows in the footer.
    private func act(_ action: Action) {
        guard let actions else {
            inbox.post(status: UIStrings.publishUnavailable)
            return
        }
        let inbox = self.inbox
        let recordEvent = self.recordEvent
        Task {
            do {
                switch action {
                case let .publish(topic, payload, qos, retain):
                    try await actions.publish(topic: topic, payload: payload, qos: qos, retain: retain)
                case .kick(let clientID):
                    try await actions.kick(clientID: clientID)
                    recordEvent(EventRow(time: Date(), kind: .disconnect, text: UIStrings.kickEvent(clientID)))
                default:
                    break
                }
            } catch {
                inbox.post(status: UIStrings.actionFailed("\(error)"))
            }
        }
    }

    /// The named theme (or file) adapted to this terminal and `NO_COLOR`; the default one and the reason
    /// when it cannot be loaded.
    static func loadTheme(_ name: String, terminal: NCursesTerminal) -> (Theme, String?) {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let searchPaths = [home + "/.config/mqtop/themes", FileManager.default.currentDirectoryPath + "/themes"]
        do {
            let theme = try Theme.load(nameOrPath: name, searchPaths: searchPaths)
            return (theme.adapted(environment: environment, colorCount: terminal.colorCount), nil)
        } catch {
            return (Theme.default.adapted(environment: environment, colorCount: terminal.colorCount), "\(error)")
        }
    }
}
