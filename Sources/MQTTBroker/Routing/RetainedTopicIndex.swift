/// Values keyed by topic, kept as a tree of topic levels, so a wildcard SUBSCRIBE visits only the
/// branches its filter can match instead of testing every retained topic (`a/+/temp` among 100,000
/// retained messages reads a handful of nodes), and collects the values as it walks: no second lookup
/// per match and no sort.
///
/// Matches come in tree order, each level's children in the order they first appeared: the same order
/// on every subscribe, and replacing a topic's value keeps its place. Removal is O(1) per level (a
/// removed child leaves a hole that is compacted once holes are half the list), so clearing many siblings
/// stays linear.
///
/// Matching follows §4.7: `+` is one level (an empty one too), `#` the level it follows and everything
/// below, and neither matches a first level starting with `$`. A class and not thread-safe: the retained
/// store keeps it under its lock.
final class RetainedTopicIndex<Value> {
    private final class Node {
        let level: String
        var value: Value?
        var children: [String: Node] = [:]
        /// `children` in the order they were added; nil where one was removed.
        var ordered: [Node?] = []
        var holes = 0
        /// This node's place in its parent's `ordered`.
        var slot = 0

        init(level: String) { self.level = level }

        func child(_ level: String) -> Node {
            if let child = children[level] { return child }
            let child = Node(level: level)
            child.slot = ordered.count
            children[level] = child
            ordered.append(child)
            return child
        }

        func removeChild(_ child: Node) {
            children[child.level] = nil
            ordered[child.slot] = nil
            holes += 1
            guard holes * 2 > ordered.count else { return }
            ordered.removeAll { $0 == nil }
            for (slot, node) in ordered.enumerated() { node?.slot = slot }
            holes = 0
        }
    }

    private let root = Node(level: "")
    /// Each topic's node, for exact lookups.
    private var nodes: [String: Node] = [:]

    var count: Int { nodes.count }

    var values: [Value] { nodes.values.compactMap(\.value) }

    func value(forTopic topic: String) -> Value? { nodes[topic]?.value }

    /// Stores `value` for `topic`; returns the value it replaced.
    @discardableResult
    func updateValue(_ value: Value, forTopic topic: String) -> Value? {
        if let node = nodes[topic] {
            defer { node.value = value }
            return node.value
        }
        var node = root
        for level in topic.split(separator: "/", omittingEmptySubsequences: false) {
            node = node.child(String(level))
        }
        node.value = value
        nodes[topic] = node
        return nil
    }

    /// Changes `topic`'s value in place, if it has one.
    func modifyValue(forTopic topic: String, _ change: (inout Value) -> Void) {
        guard let node = nodes[topic], var value = node.value else { return }
        node.value = nil
        change(&value)
        node.value = value
    }

    /// Removes `topic`'s value and the levels only it used; returns the value.
    @discardableResult
    func removeValue(forTopic topic: String) -> Value? {
        guard let node = nodes.removeValue(forKey: topic) else { return nil }
        let removed = node.value
        node.value = nil
        var path: [Node] = [root]
        for level in topic.split(separator: "/", omittingEmptySubsequences: false) {
            guard let child = path[path.count - 1].children[String(level)] else { break }
            path.append(child)
        }
        for depth in stride(from: path.count - 1, to: 0, by: -1) {
            let node = path[depth]
            guard node.value == nil, node.children.isEmpty else { break }
            path[depth - 1].removeChild(node)
        }
        return removed
    }

    /// Every value whose topic `filter` matches, in tree order.
    func values(matching filter: String) -> [Value] {
        var found: [Value] = []
        forEachValue(matching: filter) { found.append($0) }
        return found
    }

    /// Visits every value whose topic `filter` matches, in tree order, as the walk finds it.
    func forEachValue(matching filter: String, _ visit: (Value) -> Void) {
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        Self.collect(levels[...], at: root, depth: 0, visit)
    }

    private static func collect(_ levels: ArraySlice<Substring>, at node: Node, depth: Int, _ visit: (Value) -> Void) {
        guard let level = levels.first else {
            if let value = node.value { visit(value) }
            return
        }
        switch level {
        case "#":
            all(below: node, depth: depth, visit)
        case "+":
            for case let child? in node.ordered where !(depth == 0 && child.level.hasPrefix("$")) {
                collect(levels.dropFirst(), at: child, depth: depth + 1, visit)
            }
        default:
            if let child = node.children[String(level)] {
                collect(levels.dropFirst(), at: child, depth: depth + 1, visit)
            }
        }
    }

    /// `node`'s own value (the parent level `#` also matches) and every value below it.
    private static func all(below node: Node, depth: Int, _ visit: (Value) -> Void) {
        if depth > 0, let value = node.value { visit(value) }
        for case let child? in node.ordered where !(depth == 0 && child.level.hasPrefix("$")) {
            all(below: child, depth: depth + 1, visit)
        }
    }
}
