import Foundation
import Monitor

/// The Topics pane's inputs and commands: traffic batches, the periodic refresh of what it shows, sorting,
/// the tree, and the two commands that act on the broker (publish, kick).
extension DashboardState {
    /// Counts a batch from the traffic source. Cheap: the rows are re-derived by `refreshTraffic`.
    public mutating func ingestTraffic(_ batch: TrafficBatch) {
        traffic.ingest(batch)
    }

    /// Brings rates, rows and the tree up to `now` (a few times a second).
    /// While paused the rows stand still (the table keeps counting; they catch up on resume).
    public mutating func refreshTraffic(now: Date) {
        traffic.updateRates(now: now)
        guard !paused else { return }
        let table = traffic
        changeTrafficView { $0.refresh(from: table) }
    }

    /// Why the pane has no traffic (attach mode without `--mqtt`), or nil when a source is connected.
    public mutating func setTrafficNote(_ note: String?) {
        trafficView.sourceNote = note
    }

    public var topicOrder: TopicOrder { trafficView.order }

    mutating func setTopicOrder(_ order: TopicOrder) {
        let table = traffic
        changeTrafficView {
            $0.order = order
            $0.refresh(from: table)
        }
    }

    mutating func toggleTopicTree() {
        changeTrafficView {
            $0.tree.toggle()
            $0.rebuildTree()
        }
    }

    mutating func toggleCollapsed(_ path: String) {
        changeTrafficView {
            if $0.expanded.remove(path) == nil { $0.expanded.insert(path) }
            $0.rebuildTree()
        }
    }

    /// Changes what the pane shows, then lets its cached filter result and selection catch up.
    private mutating func changeTrafficView(_ change: (inout TrafficView) -> Void) {
        change(&trafficView)
        trafficVersion += 1
        reconcile(.topics)
    }

    /// The tree line under the cursor, in tree view.
    var selectedTreeNode: TopicTreeRow? {
        guard trafficView.tree, let path = selectedID(in: .topics) else { return nil }
        return trafficView.treeRows.first { $0.path == path }
    }

    /// The topic under the cursor in pane 5 (a level of the tree counts when messages went to it).
    public var selectedTopic: String? {
        guard let id = selectedID(in: .topics) else { return nil }
        if trafficView.tree { return selectedTreeNode?.topic?.topic }
        return id
    }

    // MARK: - Publish and kick

    mutating func openPublishForm() {
        guard configuration.canPublish else {
            showStatus(UIStrings.publishUnavailable)
            return
        }
        var topic = ""
        var retain = false
        if focus == .topics, let selected = selectedTopic { topic = selected }
        if focus == .retained, let selected = selectedID(in: .retained) {
            topic = selected
            retain = true
        }
        setOverlay(.publish(PublishForm(topic: topic, retain: retain)))
    }

    mutating func confirmKick() {
        guard configuration.canKick else {
            showStatus(UIStrings.kickUnavailable)
            return
        }
        guard let id = selectedID(in: .clients),
              snapshot.clients.first(where: { $0.clientID == id })?.online == true else {
            showStatus(UIStrings.needOnlineClient)
            return
        }
        setOverlay(.confirm(Confirmation(action: .kick(clientID: id), channel: configuration.channel)))
    }
}
