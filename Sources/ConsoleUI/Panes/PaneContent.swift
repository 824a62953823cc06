import Foundation
import Monitor

/// What one pane shows: title, columns, and its records, formatted into table rows only on demand.
///
/// Filtering and selection work on the raw records (ids, topics, a few searchable fields), and cells —
/// relative times, escaped payload previews — are built only for the rows in the visible window, so a
/// snapshot with tens of thousands of clients costs a scan of strings per key press, not a re-format.
public struct PaneContent: Sendable {
    public var pane: PaneKind
    /// Title text after the pane number, e.g. `Clients  online 2 / total 3`.
    public var title: String
    public var columns: [TableColumn]
    public var emptyText: String
    let records: Records
    let now: Date
    let embedded: Bool

    enum Records: Sendable {
        case clients([ClientRow])
        case subscriptions([SubscriptionRow])
        case retained([RetainedRow])
        case queues([QueueRow])
        case topics([TopicRow])
        case topicTree([TopicTreeRow])
    }

    /// Builds the content for `pane`; in embedded and demo mode Clients gets the broker-only columns.
    public static func make(_ pane: PaneKind, snapshot: DashboardSnapshot, now: Date,
                            offlineHidden: Bool = false, traffic: TrafficView = TrafficView()) -> PaneContent {
        let embedded = snapshot.header.mode != .attach
        let layout = snapshot.header.layout?.layout
        /// `· scanning 45% · partial` while the pane's first sweep runs.
        func progress(_ swept: SweptPane) -> String {
            snapshot.scanning[swept].map { UIStrings.separator + UIStrings.scanning($0) } ?? ""
        }
        switch pane {
        case .clients:
            let counts: String
            if layout?.storesClientState == false {
                counts = UIStrings.unknownClientCounts(known: snapshot.clients.count)
            } else {
                let online = snapshot.clients.reduce(0) { $0 + ($1.online ? 1 : 0) }
                counts = UIStrings.clientCounts(online: online, total: snapshot.clients.count)
            }
            return PaneContent(pane: pane, title: UIStrings.paneName(pane) + "  " + counts + progress(.clients)
                                   + (offlineHidden ? UIStrings.separator + UIStrings.offlineHidden : ""),
                               columns: ClientsPane.columns(embedded: embedded), emptyText: UIStrings.emptyClients,
                               records: .clients(snapshot.clients), now: now, embedded: embedded)
        case .subscriptions:
            return PaneContent(pane: pane, title: UIStrings.paneName(pane) + "  \(snapshot.subscriptions.count)"
                                   + progress(.subscriptions),
                               columns: SubscriptionsPane.columns, emptyText: UIStrings.emptySubscriptions,
                               records: .subscriptions(snapshot.subscriptions), now: now, embedded: embedded)
        case .retained:
            if let layout, !layout.storesRetained {
                return PaneContent(pane: pane, title: UIStrings.paneName(pane) + "  " + UIStrings.notKept,
                                   columns: RetainedPane.columns,
                                   emptyText: UIStrings.notInLayout(pane, layout: layout.name),
                                   records: .retained([]), now: now, embedded: embedded)
            }
            return PaneContent(pane: pane, title: UIStrings.paneName(pane) + "  \(snapshot.retained.count)"
                                   + progress(.retained),
                               columns: RetainedPane.columns, emptyText: UIStrings.emptyRetained,
                               records: .retained(snapshot.retained), now: now, embedded: embedded)
        case .queues:
            let messages = snapshot.queues.reduce(0) { $0 + $1.depth }
            return PaneContent(pane: pane, title: UIStrings.paneName(pane) + "  "
                                   + UIStrings.queueCounts(topics: snapshot.queues.count, messages: messages)
                                   + progress(.queues),
                               columns: QueuesPane.columns, emptyText: UIStrings.emptyQueues,
                               records: .queues(snapshot.queues), now: now, embedded: embedded)
        case .topics:
            return PaneContent(pane: pane, title: traffic.title, columns: TopicsPane.columns,
                               emptyText: traffic.sourceNote ?? UIStrings.emptyTopics,
                               records: traffic.tree ? .topicTree(traffic.treeRows) : .topics(traffic.rows),
                               now: now, embedded: embedded)
        }
    }

    /// Number of records before filtering.
    public var count: Int {
        switch records {
        case .clients(let r): return r.count
        case .subscriptions(let r): return r.count
        case .retained(let r): return r.count
        case .queues(let r): return r.count
        case .topics(let r): return r.count
        case .topicTree(let r): return r.count
        }
    }

    /// The identity selection follows: client id, (client id, filter), or topic.
    public func id(at index: Int) -> String {
        switch records {
        case .clients(let r): return r[index].clientID
        case .subscriptions(let r): return SubscriptionsPane.id(clientID: r[index].clientID, filter: r[index].filter)
        case .retained(let r): return r[index].topic
        case .queues(let r): return r[index].topic
        case .topics(let r): return r[index].topic
        case .topicTree(let r): return r[index].path
        }
    }

    /// The formatted row for a record.
    public func row(at index: Int) -> TableRow {
        switch records {
        case .clients(let r): return ClientsPane.row(r[index], now: now, embedded: embedded)
        case .subscriptions(let r): return SubscriptionsPane.row(r[index])
        case .retained(let r): return RetainedPane.row(r[index], now: now)
        case .queues(let r): return QueuesPane.row(r[index], now: now)
        case .topics(let r): return TopicsPane.row(r[index], now: now)
        case .topicTree(let r): return TopicsPane.row(r[index], now: now)
        }
    }

    /// Whether a record passes the filter: MQTT wildcard filters look at the topic (or subscription
    /// filter), substrings at the record's identifying texts.
    /// (Field by field, so nothing is allocated per record.)
    func matches(_ filter: RowFilter, at index: Int) -> Bool {
        if filter.isEmpty { return true }
        switch records {
        case .clients(let r):
            let c = r[index]
            if filter.isWildcard { return false }
            return filter.contains(c.clientID) || filter.contains(c.node ?? "") || filter.contains(c.address ?? "")
                || filter.contains(c.protocolVersion ?? "") || filter.contains(c.online ? UIStrings.online : UIStrings.offline)
        case .subscriptions(let r):
            let s = r[index]
            if filter.isWildcard { return filter.matchesTopic(s.filter) }
            return filter.contains(s.clientID) || filter.contains(s.filter) || filter.contains(UIStrings.source(s.source))
        case .retained(let r):
            let m = r[index]
            if filter.isWildcard { return filter.matchesTopic(m.topic) }
            return filter.contains(m.topic) || filter.contains(m.from)
                || filter.contains(Escaping.payload(m.payload.prefix(RetainedPane.previewBytes)))
        case .queues(let r):
            let q = r[index]
            if filter.isWildcard { return filter.matchesTopic(q.topic) }
            return filter.contains(q.topic) || q.backlog.contains { filter.contains($0.clientID) }
        case .topics(let r):
            let t = r[index]
            if filter.isWildcard { return filter.matchesTopic(t.topic) }
            // The topic only: escaping 100,000 payload previews on every key would cost more than a key may.
            return filter.contains(t.topic)
        case .topicTree(let r):
            let node = r[index]
            // Levels stay so the matching topics under them can be reached.
            if filter.isWildcard { return node.hasChildren || filter.matchesTopic(node.path) }
            return filter.contains(node.path)
        }
    }

    /// Positions of the records that pass `filter` (and, with `onlineOnly`, are clients not known to be
    /// offline), in order;
    /// only `candidates` are looked at when given (a narrower filter than the one that chose them).
    public func indices(matching filter: RowFilter, onlineOnly: Bool = false,
                        among candidates: RowIndices? = nil) -> RowIndices {
        let hideOffline = onlineOnly && pane == .clients
        if filter.isEmpty && !hideOffline && candidates == nil { return RowIndices(all: count) }
        let test: (Int) -> Bool = { index in
            (!hideOffline || isOnline(at: index)) && matches(filter, at: index)
        }
        if let candidates { return RowIndices(candidates.filter(test)) }
        return RowIndices((0..<count).filter(test))
    }

    private func isOnline(at index: Int) -> Bool {
        if case .clients(let rows) = records { return rows[index].presence != .offline }
        return true
    }
}

/// Record positions after filtering; `all` avoids materialising 0..<n when no filter is set.
public struct RowIndices: Sendable, Hashable, RandomAccessCollection {
    private let all: Int?
    private let list: [Int]

    init(all count: Int) {
        all = count
        list = []
    }

    init(_ list: [Int]) {
        all = nil
        self.list = list
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { all ?? list.count }
    public subscript(position: Int) -> Int { all == nil ? list[position] : position }
}
