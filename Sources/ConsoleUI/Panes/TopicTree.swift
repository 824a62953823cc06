import Foundation
import Monitor

/// One line of the Topics tree: a topic level with the counts of everything under it.
public struct TopicTreeRow: Sendable, Hashable {
    /// The level's full path (`home/kitchen`), its identity.
    public var path: String
    /// The last level (`kitchen`).
    public var name: String
    public var depth: Int
    public var hasChildren: Bool
    public var expanded: Bool
    /// The topic of this exact path, when messages were published to it.
    public var topic: TopicRow?
    public var messages: Int
    public var bytes: Int
    public var rate: Double
    public var lastSeen: Date
}

/// Groups topics by level (MQTT Explorer's habit): a level's counts are the sums over its subtree, and only
/// the children of expanded levels are listed.
enum TopicTree {
    private struct Node {
        var name: String
        var depth: Int
        var topic: TopicRow?
        var messages = 0
        var bytes = 0
        var rate = 0.0
        var lastSeen = Date.distantPast
        var children: [String] = []
    }

    static func rows(_ topics: [TopicRow], expanded: Set<String>, order: TopicOrder) -> [TopicTreeRow] {
        var nodes: [String: Node] = [:]
        var roots: [String] = []
        for topic in topics {
            var path = ""
            var parent: String?
            for (depth, level) in topic.topic.split(separator: "/", omittingEmptySubsequences: false).enumerated() {
                path = depth == 0 ? String(level) : path + "/" + level
                if nodes[path] == nil {
                    nodes[path] = Node(name: String(level), depth: depth)
                    if let parent { nodes[parent]?.children.append(path) } else { roots.append(path) }
                }
                nodes[path]?.messages += topic.messages
                nodes[path]?.bytes += topic.bytes
                nodes[path]?.rate += topic.rate
                if let seen = nodes[path]?.lastSeen, topic.lastSeen > seen { nodes[path]?.lastSeen = topic.lastSeen }
                parent = path
            }
            nodes[path]?.topic = topic
        }
        var result: [TopicTreeRow] = []
        func emit(_ paths: [String]) {
            for path in sorted(paths, nodes: nodes, order: order) {
                guard let node = nodes[path] else { continue }
                let open = expanded.contains(path)
                result.append(TopicTreeRow(path: path, name: node.name, depth: node.depth,
                                           hasChildren: !node.children.isEmpty, expanded: open, topic: node.topic,
                                           messages: node.messages, bytes: node.bytes, rate: node.rate,
                                           lastSeen: node.lastSeen))
                if open { emit(node.children) }
            }
        }
        emit(roots)
        return result
    }

    private static func sorted(_ paths: [String], nodes: [String: Node], order: TopicOrder) -> [String] {
        paths.sorted { a, b in
            guard let x = nodes[a], let y = nodes[b] else { return a < b }
            switch order {
            case .rate: return (TopicOrder.rateBucket(x.rate), b) > (TopicOrder.rateBucket(y.rate), a)
            case .count: return (x.messages, b) > (y.messages, a)
            case .name: return a < b
            }
        }
    }
}
