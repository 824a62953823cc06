/// Where a pane's selection, scroll position and filter are.
struct PaneCursor: Sendable, Hashable {
    /// The selected row's identity (client id, topic, …); what survives a snapshot update.
    var selectedID: String?
    var index = 0
    var offset = 0
    var filter = ""
}
