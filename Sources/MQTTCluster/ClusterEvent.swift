import EMQXLayout
import Foundation
import RedisClient

/// What nodes tell each other on the cluster's events channel, as one JSON object per message so that
/// `redis-cli SUBSCRIBE` shows it readably.
///
/// Route changes are numbered per node incarnation: a node applies a batch only when it follows the last
/// one it applied, and reads the node's routes hash again when one went missing (a failover, a late
/// subscription), so no lost message leaves a route table wrong for longer than that.
enum ClusterEvent: Equatable, Sendable {
    case join(node: String, incarnation: String)
    case leave(node: String, incarnation: String)
    /// Changes numbered `firstSequence`, `firstSequence + 1`, …: `true` adds the filter, `false` removes it.
    case routes(node: String, incarnation: String, firstSequence: Int, changes: [RouteChange])
    /// A connection of `client` was admitted on `node` at `atMillis` (its wall clock): any other node ends
    /// its session of that client, unless its own connection is newer.
    case takeover(node: String, client: String, atMillis: Int64)
    /// `node` admitted `client` with Clean Start 0 and no session: a node that has one hands it over.
    case sessionWanted(node: String, client: String, request: String)
    /// `node`'s answer to `to`'s request: `found` means the session waits at `ClusterKeys.handover(request)`.
    case sessionAnswer(node: String, to: String, request: String, found: Bool)
    /// Sessions on `node` that get other nodes' messages are backing up (`congested`), or all drained.
    case congestion(node: String, congested: Bool)
    /// All of a node's filters at change `sequence` (it wrote its routes hash anew).
    case table(node: String, incarnation: String, sequence: Int, filters: [String])

    struct RouteChange: Equatable, Sendable {
        var filter: String
        var present: Bool
    }

    var node: String {
        switch self {
        case .join(let node, _), .leave(let node, _), .routes(let node, _, _, _), .table(let node, _, _, _),
             .takeover(let node, _, _), .sessionWanted(let node, _, _), .sessionAnswer(let node, _, _, _),
             .congestion(let node, _): node
        }
    }

    var json: String {
        var object: [String: Any]
        switch self {
        case .join(let node, let incarnation):
            object = ["type": "join", "node": node, "incarnation": incarnation]
        case .leave(let node, let incarnation):
            object = ["type": "leave", "node": node, "incarnation": incarnation]
        case .routes(let node, let incarnation, let first, let changes):
            object = ["type": "routes", "node": node, "incarnation": incarnation, "seq": first,
                      "changes": changes.map { [$0.present ? "+" : "-", $0.filter] }]
        case .takeover(let node, let client, let at):
            object = ["type": "takeover", "node": node, "client": client, "at": at]
        case .congestion(let node, let congested):
            object = ["type": "congestion", "node": node, "congested": congested]
        case .sessionWanted(let node, let client, let request):
            object = ["type": "session-wanted", "node": node, "client": client, "request": request]
        case .sessionAnswer(let node, let to, let request, let found):
            object = ["type": "session-answer", "node": node, "to": to, "request": request, "found": found]
        case .table(let node, let incarnation, let sequence, let filters):
            object = ["type": "table", "node": node, "incarnation": incarnation, "seq": sequence, "filters": filters]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses one message; the error says what is wrong, for a log line that names the channel.
    init(json text: String) throws(ClusterEventError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw ClusterEventError("not a JSON object")
        }
        func field<T>(_ name: String, as type: T.Type = T.self) throws(ClusterEventError) -> T {
            guard let value = object[name] as? T else { throw ClusterEventError("no \"\(name)\"") }
            return value
        }
        let type: String = try field("type")
        let node: String = try field("node")
        guard !node.isEmpty else { throw ClusterEventError("an empty \"node\"") }
        switch type {
        case "join": self = .join(node: node, incarnation: try field("incarnation"))
        case "leave": self = .leave(node: node, incarnation: try field("incarnation"))
        case "routes":
            var changes: [RouteChange] = []
            for pair in try field("changes", as: [[String]].self) {
                guard pair.count == 2, pair[0] == "+" || pair[0] == "-" else {
                    throw ClusterEventError("a change is not [\"+\"|\"-\", filter]")
                }
                changes.append(RouteChange(filter: pair[1], present: pair[0] == "+"))
            }
            self = .routes(node: node, incarnation: try field("incarnation"), firstSequence: try field("seq"),
                           changes: changes)
        case "table":
            self = .table(node: node, incarnation: try field("incarnation"), sequence: try field("seq"),
                          filters: try field("filters"))
        case "takeover":
            self = .takeover(node: node, client: try field("client"),
                             atMillis: try field("at", as: NSNumber.self).int64Value)
        case "session-wanted":
            self = .sessionWanted(node: node, client: try field("client"), request: try field("request"))
        case "session-answer":
            self = .sessionAnswer(node: node, to: try field("to"), request: try field("request"), found: try field("found"))
        case "congestion":
            self = .congestion(node: node, congested: try field("congested"))
        default:
            throw ClusterEventError("unknown type \"\(type)\"")
        }
    }
}

extension ClusterEvent {
    /// The command that puts the event on the cluster's events channel: `SPUBLISH` on a Redis Cluster,
    /// where a plain `PUBLISH` goes to any master and two of them may arrive in either order.
    func publishing(on keys: ClusterKeys, sharded: Bool) -> RedisCommand {
        let message = RESPArgument(json)
        let channel = RESPArgument(keys.events)
        return sharded ? .spublish(message, to: channel) : .publish(message, to: channel)
    }
}

struct ClusterEventError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
