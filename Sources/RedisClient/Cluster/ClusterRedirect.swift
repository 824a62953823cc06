/// A `MOVED` or `ASK` error reply: the slot is served elsewhere, permanently or for this one command.
enum ClusterRedirect: Sendable, Hashable {
    case moved(slot: Int, to: RedisEndpoint)
    case ask(slot: Int, to: RedisEndpoint)

    /// Parses `MOVED 3999 127.0.0.1:6381` / `ASK 3999 127.0.0.1:6381`; an empty host means "the node you
    /// asked", given as `current`.
    init?(_ message: String, current: RedisEndpoint?) {
        let words = message.split(separator: " ")
        guard words.count == 3, let slot = Int(words[1]), (0..<ClusterKeySlot.count).contains(slot) else { return nil }
        var address = words[2]
        if address.hasPrefix(":"), let host = current?.host { address = Substring(host) + address }
        guard let endpoint = RedisEndpoint(hostPort: address) else { return nil }
        switch words[0] {
        case "MOVED": self = .moved(slot: slot, to: endpoint)
        case "ASK": self = .ask(slot: slot, to: endpoint)
        default: return nil
        }
    }
}
