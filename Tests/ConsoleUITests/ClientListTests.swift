import ConsoleUI
import Foundation
import Monitor
import Testing

/// The Clients pane on a busy dev broker: online first, `o` hides the offline ones, and the filter's
/// cached results stay right while typing, deleting and across snapshots.
@Suite struct ClientListTests {
    @Test func onlineClientsComeFirstThenOfflineByMostRecent() {
        let rows = [
            ClientRow(clientID: "a-old", online: false, since: 1_000),
            ClientRow(clientID: "z-live", online: true, since: 5),
            ClientRow(clientID: "b-recent", online: false, since: 9_000),
            ClientRow(clientID: "c-unknown", online: false, since: nil),
            ClientRow(clientID: "m-live", online: true, since: 7),
        ]
        #expect(ClientRow.inListOrder(rows).map(\.clientID)
                == ["m-live", "z-live", "b-recent", "a-old", "c-unknown"])
    }

    @Test func oHidesAndShowsOfflineClients() {
        var state = Fixtures.state()
        #expect(state.footerHints.contains(UIStrings.hintHideOffline))
        _ = state.press(.char("o"))
        #expect(!state.showsOffline)
        #expect(state.visibleRows(of: .clients).map(\.id) == ["cli-alpha", "设备-01"])
        let screen = state.render()
        #expect(screen.text(row: 1).contains("online 2 / total 3 · offline hidden"))
        #expect(state.statusMessage == UIStrings.offlineHiddenMessage)
        #expect(state.footerHints.contains(UIStrings.hintShowOffline))
        // A filter applies on top, and a new snapshot keeps offline clients hidden.
        _ = state.press(.char("/"))
        state.type("gamma")
        #expect(state.visibleRows(of: .clients).isEmpty)
        _ = state.press(.escape)
        state.update(snapshot: Fixtures.snapshot)
        #expect(state.visibleRows(of: .clients).count == 2)
        _ = state.press(.char("o"))
        #expect(state.visibleRows(of: .clients).count == 3)
        // Only on the Clients pane.
        _ = state.press(.tab, .char("o"))
        #expect(state.showsOffline)
    }

    @Test func filterResultsFollowTypingDeletingAndNewSnapshots() {
        var state = Fixtures.state()
        _ = state.press(.char("/"))
        state.type("cli")
        #expect(state.visibleRows(of: .clients).map(\.id) == ["cli-alpha", "cli-gamma"])
        state.type("-g")
        #expect(state.visibleRows(of: .clients).map(\.id) == ["cli-gamma"])
        _ = state.press(.backspace, .backspace)
        #expect(state.visibleRows(of: .clients).map(\.id) == ["cli-alpha", "cli-gamma"])
        var snapshot = Fixtures.snapshot
        snapshot.clients.append(ClientRow(clientID: "CLI-DELTA", online: true))
        state.update(snapshot: snapshot)
        #expect(state.visibleRows(of: .clients).map(\.id) == ["cli-alpha", "cli-gamma", "CLI-DELTA"])
        state.type("-D")
        #expect(state.visibleRows(of: .clients).map(\.id) == ["CLI-DELTA"])
    }

    @Test func nonASCIIFiltersStillIgnoreCase() {
        let filter = RowFilter("ÉTÉ", wildcardAllowed: false)
        #expect(filter.contains("capteur-été-1"))
        #expect(RowFilter("设备", wildcardAllowed: false).contains("设备-01"))
        #expect(RowFilter("DEV-0001", wildcardAllowed: false).contains("sensor/dev-0001/x"))
        #expect(!RowFilter("dev-0002", wildcardAllowed: false).contains("dev-000"))
    }
}
