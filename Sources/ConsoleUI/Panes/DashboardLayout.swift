/// Where everything goes for a terminal size: header row, a 2x2 grid of panes (or, in the traffic view,
/// the Topics pane in their place), the Events strip, footer.
///
/// Panes split the width in halves (the right one takes the odd column) and the height in halves (the
/// bottom row takes the odd row); the Events strip takes about a fifth of the height, at least 2 event
/// lines. Everything is derived from the size alone so the key handler can know page sizes.
public struct DashboardLayout: Sendable, Hashable {
    public var size: TerminalSize
    public var header: Rect
    public var panes: [PaneKind: Rect]
    public var events: Rect
    public var footer: Rect
    /// The broker's figures, one row over the Topics pane in the traffic view (empty otherwise).
    public var figures = Rect(row: 0, column: 0, width: 0, height: 0)
    /// Rows between header and footer: where overlays (detail, help) go.
    public var body: Rect

    public init(size: TerminalSize, trafficView: Bool = false) {
        self.size = size
        let w = size.width
        let h = size.height
        header = Rect(row: 0, column: 0, width: w, height: min(1, h))
        footer = Rect(row: max(0, h - 1), column: 0, width: w, height: h >= 2 ? 1 : 0)
        body = Rect(row: 1, column: 0, width: w, height: max(0, h - 2))
        let eventsHeight = min(max(4, body.height / 5), max(0, body.height - 8))
        events = Rect(row: body.bottom - eventsHeight, column: 0, width: w, height: eventsHeight)
        let gridHeight = max(0, body.height - eventsHeight)
        let topHeight = gridHeight / 2
        let leftWidth = w / 2
        panes = [
            .clients: Rect(row: body.row, column: 0, width: leftWidth, height: topHeight),
            .subscriptions: Rect(row: body.row, column: leftWidth, width: w - leftWidth, height: topHeight),
            .retained: Rect(row: body.row + topHeight, column: 0, width: leftWidth, height: gridHeight - topHeight),
            .queues: Rect(row: body.row + topHeight, column: leftWidth, width: w - leftWidth, height: gridHeight - topHeight),
        ]
        if trafficView {
            let figuresHeight = gridHeight > 6 ? 1 : 0
            figures = Rect(row: body.row, column: 0, width: w, height: figuresHeight)
            panes = [.topics: Rect(row: body.row + figuresHeight, column: 0, width: w, height: gridHeight - figuresHeight)]
        }
    }

    public func rect(of pane: PaneKind) -> Rect { panes[pane] ?? Rect(row: 0, column: 0, width: 0, height: 0) }

    /// Data rows visible in a pane: its height less two borders and the heading.
    public func visibleRows(of pane: PaneKind) -> Int { Table.visibleRows(height: rect(of: pane).height - 2) }
}
