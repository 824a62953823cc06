import Foundation

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
        guard let type = object["type"] as? String else { throw ClusterEventError("no \"type\"") }
        guard let node = object["node"] as? String, !node.isEmpty else { throw ClusterEventError("no \"node\"") }
        switch type {
        case "session-wanted":
            guard let client = object["client"] as? String, let request = object["request"] as? String else {
                throw ClusterEventError("no \"client\" or \"request\"")
            }
            self = .sessionWanted(node: node, client: client, request: request)
            return
        case "congestion":
            guard let congested = object["congested"] as? Bool else { throw ClusterEventError("no \"congested\"") }
            self = .congestion(node: node, congested: congested)
            return
        case "session-answer":
            guard let to = object["to"] as? String, let request = object["request"] as? String,
                  let found = object["found"] as? Bool else { throw ClusterEventError("no \"to\", \"request\" or \"found\"") }
            self = .sessionAnswer(node: node, to: to, request: request, found: found)
            return
        default:
            break
        }
        if type == "takeover" {
            guard let client = object["client"] as? String else { throw ClusterEventError("no \"client\"") }
            guard let at = (object["at"] as? NSNumber)?.int64Value else { throw ClusterEventError("no \"at\"") }
            self = .takeover(node: node, client: client, atMillis: at)
            return
        }
        guard let incarnation = object["incarnation"] as? String else { throw ClusterEventError("no \"incarnation\"") }
        switch type {
        case "join": self = .join(node: node, incarnation: incarnation)
        case "leave": self = .leave(node: node, incarnation: incarnation)
        case "routes":
            guard let first = object["seq"] as? Int else { throw ClusterEventError("no \"seq\"") }
            guard let list = object["changes"] as? [[String]] else { throw ClusterEventError("no \"changes\" list") }
            var changes: [RouteChange] = []
            for pair in list {
                guard pair.count == 2, pair[0] == "+" || pair[0] == "-" else {
                    throw ClusterEventError("a change is not [\"+\"|\"-\", filter]")
                }
                changes.append(RouteChange(filter: pair[1], present: pair[0] == "+"))
            }
            self = .routes(node: node, incarnation: incarnation, firstSequence: first, changes: changes)
        case "table":
            guard let sequence = object["seq"] as? Int else { throw ClusterEventError("no \"seq\"") }
            guard let filters = object["filters"] as? [String] else { throw ClusterEventError("no \"filters\" list") }
            self = .table(node: node, incarnation: incarnation, sequence: sequence, filters: filters)
        default:
            throw ClusterEventError("unknown type \"\(type)\"")
        }
    }
}

struct ClusterEventError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
