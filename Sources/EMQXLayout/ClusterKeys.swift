/// mqtop's own keys beside EMQX's: the Redis keys and channels of one cluster of mqtop nodes (written by
/// the nodes, read by the console), all under `mqtop:cluster:<name>:` so several clusters (and
/// the EMQX layout beside them) share a Redis without meeting.
///
/// | key / channel | type | holds |
/// |---|---|---|
/// | `…:nodes` | hash | node → `{"incarnation":…,"since":…}`, every node that joined and did not leave |
/// | `…:alive:<node>` | string, TTL | the node's incarnation; renewed every heartbeat, gone when it stops |
/// | `…:routes:<node>` | hash | filter → `1` for every filter with a session there, plus `#inc` and `#seq` |
/// | `…:reap:<node>` | string, TTL | which surviving node is marking a dead node's clients offline |
/// | `…:handover:<request>` | string, TTL | a session on its way to the node that asked for it (binary) |
/// | `…:events` | channel | joins, leaves, route changes, takeovers, hand-overs, congestion (JSON, see `ClusterEvent`); sharded on a Redis Cluster |
/// | `…:fwd:<node>` | channel | messages for that node (`ForwardFrame`); sharded on a Redis Cluster |
///
/// `#inc` and `#seq` cannot be filters (`#` must stand alone in its level), so they share the routes hash.
public struct ClusterKeys: Sendable, Hashable {
    public let cluster: String
    public let prefix: String

    public init(cluster: String) {
        self.cluster = cluster
        prefix = "mqtop:cluster:\(cluster):"
    }

    public var nodes: String { prefix + "nodes" }
    public func alive(_ node: String) -> String { prefix + "alive:" + node }
    public func routes(_ node: String) -> String { prefix + "routes:" + node }
    public func reap(_ node: String) -> String { prefix + "reap:" + node }
    public var events: String { prefix + "events" }
    public func handover(_ request: String) -> String { prefix + "handover:" + request }
    public func forward(_ node: String) -> String { prefix + "fwd:" + node }

    /// Fields of the routes hash that are not filters.
    public static let incarnationField = "#inc"
    public static let sequenceField = "#seq"
}
