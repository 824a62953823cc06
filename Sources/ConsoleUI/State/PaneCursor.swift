/// Where a pane's selection, scroll position and filter are, and the records the filter lets through.
struct PaneCursor: Sendable {
    /// The selected row's identity (client id, topic, …); what survives a snapshot update.
    var selectedID: String?
    var index = 0
    var offset = 0
    var filter = ""
    /// Record positions after the filter, kept until the snapshot or the filter changes: rendering and
    /// moving read them, so a key press scans 100,000 records at most once.
    var visible = RowIndices(all: 0)
    /// What `visible` was computed for.
    var visibleKey: VisibleKey?

    struct VisibleKey: Sendable, Equatable {
        var version: Int
        var filter: RowFilter
        var onlineOnly: Bool
    }
}
