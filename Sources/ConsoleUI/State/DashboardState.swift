import EMQXLayout
import Foundation
import Monitor

/// The whole console as a value: the snapshot on screen, focus, per-pane selection/scroll/filter, the
/// overlay, pause, and a transient status message.
///
/// It is a pure state machine. Input is `handle(_:)` with `Key`s and `update(snapshot:)`; output is
/// `render()` and the `Action`s `handle` returns for the caller to perform. Nothing here blocks, sleeps or
/// reads a clock: `now` is set by the caller.
public struct DashboardState: Sendable {
    public let configuration: DashboardConfiguration
    public private(set) var snapshot: DashboardSnapshot
    /// The newest snapshot received while paused, shown on resume.
    public private(set) var heldSnapshot: DashboardSnapshot?
    public private(set) var size: TerminalSize
    /// The time relative ages (`12m ago`) are computed against.
    public var now: Date
    public private(set) var focus: PaneKind = .clients
    public private(set) var overlay: Overlay = .none
    public private(set) var paused = false
    /// A one-line message in the footer until the next key (refusals, what was sent, errors).
    public private(set) var statusMessage: String?
    /// Offline clients are listed (`o` hides them).
    public private(set) var showsOffline = true
    var cursors: [PaneKind: PaneCursor] = [:]
    /// Counts snapshots shown, so cached filter results know when they are stale.
    private var snapshotVersion = 0
    /// Every topic seen, fed by `ingestTraffic`; the Topics pane shows `trafficView`, derived from it.
    public internal(set) var traffic = TrafficTable()
    /// `traffic` as it was when `p` paused: a topic's detail page stands still with the pane's rows.
    private(set) var pausedTraffic: TrafficTable?
    public internal(set) var trafficView = TrafficView()
    /// Counts `trafficView` refreshes, as `snapshotVersion` does snapshots.
    var trafficVersion = 0

    public init(configuration: DashboardConfiguration = DashboardConfiguration(),
                snapshot: DashboardSnapshot = DashboardSnapshot(),
                size: TerminalSize, now: Date) {
        self.configuration = configuration
        self.snapshot = snapshot
        self.size = size
        self.now = now
        for pane in PaneKind.allCases { cursors[pane] = PaneCursor() }
        reconcileAll()
    }

    public var readOnly: Bool { configuration.readOnly || snapshot.header.readOnly }
    public var layout: DashboardLayout { DashboardLayout(size: size, trafficView: focus == .topics) }
    /// What the keys in Redis mean, as the monitor decided: the writes follow it.
    public var storeLayout: StoreLayout { snapshot.header.layout?.layout ?? .emqx4 }
    /// The layout of the last write the operator approved (its confirm line showed that layout's keys).
    public internal(set) var approvedLayout: StoreLayout?

    // MARK: - Inputs from the outside

    /// A new snapshot from the monitor. While paused it is held, not shown. Selections follow identity.
    public mutating func update(snapshot newSnapshot: DashboardSnapshot) {
        if paused {
            heldSnapshot = newSnapshot
            return
        }
        snapshot = newSnapshot
        snapshotVersion += 1
        reconcileAll()
    }

    /// Shows a message in the footer until the next key (e.g. the result of an action, a theme error).
    public mutating func showStatus(_ message: String) { statusMessage = message }

    // MARK: - Queries (for rendering and tests)

    public func content(of pane: PaneKind) -> PaneContent {
        PaneContent.make(pane, snapshot: snapshot, now: now, offlineHidden: !showsOffline, traffic: trafficView)
    }

    public func filter(of pane: PaneKind) -> RowFilter {
        RowFilter(cursors[pane]?.filter ?? "", wildcardAllowed: pane.isTopicPane)
    }

    /// Record positions of a pane after its filter (computed when the snapshot or the filter changed).
    public func visibleIndices(of pane: PaneKind) -> RowIndices { cursors[pane]?.visible ?? RowIndices(all: 0) }

    /// Every row of a pane after its filter, formatted: for inspection and tests (rendering formats only
    /// the rows on screen).
    public func visibleRows(of pane: PaneKind) -> [TableRow] {
        let content = content(of: pane)
        return visibleIndices(of: pane).map { content.row(at: $0) }
    }

    public func selectedID(in pane: PaneKind) -> String? {
        visibleIndices(of: pane).isEmpty ? nil : cursors[pane]?.selectedID
    }

    public func selectedIndex(in pane: PaneKind) -> Int? {
        visibleIndices(of: pane).isEmpty ? nil : cursors[pane]?.index
    }

    public func scrollOffset(in pane: PaneKind) -> Int { cursors[pane]?.offset ?? 0 }

    // MARK: - Selection bookkeeping

    mutating func reconcileAll() {
        for pane in PaneKind.allCases { reconcile(pane) }
    }

    /// Re-finds the selected identity in the pane's current rows (falling back to the same index, clamped)
    /// and scrolls so it is visible.
    mutating func reconcile(_ pane: PaneKind) {
        var cursor = cursors[pane] ?? PaneCursor()
        let content = content(of: pane)
        let version = pane == .topics ? trafficVersion : snapshotVersion
        let key = PaneCursor.VisibleKey(version: version, filter: filter(of: pane), onlineOnly: !showsOffline)
        if cursor.visibleKey != key {
            // One more character typed: only the records the shorter filter kept can match.
            let narrowing = cursor.visibleKey.map {
                $0.version == key.version && $0.onlineOnly == key.onlineOnly && key.filter.narrows($0.filter)
            } ?? false
            cursor.visible = content.indices(matching: key.filter, onlineOnly: key.onlineOnly,
                                             among: narrowing ? cursor.visible : nil)
            cursor.visibleKey = key
        }
        let rows = cursor.visible
        if rows.isEmpty {
            cursor.index = 0
            cursor.offset = 0
        } else {
            if pane.keepsSelectionAtTop, cursor.index == 0 {
                cursor.selectedID = content.id(at: rows[0])
            } else if let id = cursor.selectedID, let found = rows.firstIndex(where: { content.id(at: $0) == id }) {
                cursor.index = found
            } else {
                cursor.index = min(max(cursor.index, 0), rows.count - 1)
                cursor.selectedID = content.id(at: rows[cursor.index])
            }
            cursor.offset = Table.scrollOffset(selected: cursor.index, offset: cursor.offset, count: rows.count,
                                               visible: layout.visibleRows(of: pane))
        }
        cursors[pane] = cursor
    }

    /// Moves a pane's selection to `index` (clamped) and scrolls to keep it visible.
    mutating func select(_ index: Int, in pane: PaneKind) {
        let content = content(of: pane)
        guard var cursor = cursors[pane], !cursor.visible.isEmpty else { return }
        let rows = cursor.visible
        cursor.index = min(max(index, 0), rows.count - 1)
        cursor.selectedID = content.id(at: rows[cursor.index])
        cursor.offset = Table.scrollOffset(selected: cursor.index, offset: cursor.offset, count: rows.count,
                                           visible: layout.visibleRows(of: pane))
        cursors[pane] = cursor
    }

    mutating func setFilter(_ text: String, in pane: PaneKind) {
        cursors[pane]?.filter = text
        reconcile(pane)
    }

    mutating func setSize(_ newSize: TerminalSize) {
        size = newSize
        reconcileAll()
    }

    mutating func setFocus(_ pane: PaneKind) {
        let layoutChanges = (focus == .topics) != (pane == .topics)
        focus = pane
        // The Topics pane takes the grid's place: page sizes change with it.
        if layoutChanges { reconcileAll() }
    }
    mutating func setOverlay(_ newOverlay: Overlay) { overlay = newOverlay }
    mutating func clearStatus() { statusMessage = nil }

    mutating func toggleOffline() {
        showsOffline.toggle()
        reconcile(.clients)
    }

    mutating func togglePaused() {
        paused.toggle()
        pausedTraffic = paused ? traffic : nil
        if !paused, let held = heldSnapshot {
            heldSnapshot = nil
            snapshot = held
            snapshotVersion += 1
            reconcileAll()
        }
    }
}
