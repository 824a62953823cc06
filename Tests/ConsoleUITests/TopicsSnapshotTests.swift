import ConsoleUI
import Foundation
import Monitor
import Testing

/// Full-screen snapshots of the traffic view (list, tree, tail) at 80x24 and 120x40, framed in `|` as in
/// `DashboardSnapshotTests`.
@Suite struct TopicsSnapshotTests {
    static func state(width: Int, height: Int) -> DashboardState {
        var snapshot = Fixtures.snapshot
        var figures = BrokerFigures()
        figures.node = "mqtop@devbox"
        figures.uptimeSeconds = 754
        figures.connections = 2
        figures.messagesInPerSecond = 4
        figures.messagesOutPerSecond = 6
        figures.bytesIn = 1_536
        figures.bytesOut = 2_048
        figures.subscriptions = 5
        figures.retained = 4
        figures.dropped = 0
        snapshot.header.broker = figures
        var state = TrafficFixtures.state(width: width, height: height)
        state.update(snapshot: snapshot)
        return state
    }

    static func screens(width: Int, height: Int) -> (list: ScreenBuffer, tree: ScreenBuffer, tail: ScreenBuffer) {
        var state = state(width: width, height: height)
        _ = state.press(.char("5"))
        let list = state.render()
        _ = state.press(.char("T"), .down, .enter)
        let tree = state.render()
        _ = state.press(.char("T"), .char("/"))
        state.type("temp")
        _ = state.press(.enter, .enter)
        return (list, tree, state.render())
    }

    /// Width, height, and the expected list, tree and tail screens.
    static let sizes = [(80, 24, list80, tree80, tail80), (120, 40, list120, tree120, tail120)]

    @Test(arguments: sizes.indices)
    func screensAtSize(_ index: Int) {
        let (width, height, list, tree, tail) = Self.sizes[index]
        let screens = Self.screens(width: width, height: height)
        for screen in [screens.list, screens.tree] { FrameCheck.expectIntact(screen, trafficView: true) }
        FrameCheck.expectIntact(screens.tail, panes: false)
        #expect(DashboardSnapshotTests.framed(screens.list) == list)
        #expect(DashboardSnapshotTests.framed(screens.tree) == tree)
        #expect(DashboardSnapshotTests.framed(screens.tail) == tail)
    }
}
