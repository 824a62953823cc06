import Foundation
import Monitor

/// What the Topics pane shows, derived from the traffic table a few times a second (not per message):
/// the sorted rows, the tree when it is on, the pane's figures, and where the traffic comes from.
public struct TrafficView: Sendable {
    public var rows: [TopicRow] = []
    public var treeRows: [TopicTreeRow] = []
    public var order: TopicOrder = .rate
    public var tree = false
    /// Tree levels the operator opened.
    public var expanded: Set<String> = []
    public var totalMessages = 0
    public var rate = 0.0
    public var evictedTopics = 0
    /// Why there is no traffic to show (attach mode without `--mqtt`), or the source's trouble.
    public var sourceNote: String?

    public init() {}

    /// Re-derives the rows from `table`.
    mutating func refresh(from table: TrafficTable) {
        rows = table.rows(sortedBy: order)
        totalMessages = table.totalMessages
        rate = table.rate
        evictedTopics = table.evictedTopics
        rebuildTree()
    }

    mutating func rebuildTree() {
        treeRows = tree ? TopicTree.rows(rows, expanded: expanded, order: order) : []
    }

    var title: String {
        var parts = [UIStrings.paneName(.topics) + "  " + String(rows.count),
                     UIStrings.rate(Formatting.compact(rate)), UIStrings.messageTotal(totalMessages),
                     UIStrings.sortedByShort(order)]
        if tree { parts.append(UIStrings.treeView) }
        if evictedTopics > 0 { parts.append(UIStrings.evicted(evictedTopics)) }
        return parts.joined(separator: UIStrings.separator)
    }
}
