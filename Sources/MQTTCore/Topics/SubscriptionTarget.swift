/// What a SUBSCRIBE names: either a plain filter or a shared subscription `$share/<group>/<filter>` (§4.8.2).
public enum SubscriptionTarget: Sendable, Hashable, CustomStringConvertible {
    case plain(TopicFilter)
    case shared(group: String, filter: TopicFilter)

    /// Parses and validates `string`; nil when the filter or the share name is invalid.
    public init?(_ string: String) {
        let prefix = "$share/"
        if string.hasPrefix(prefix) {
            let rest = string.dropFirst(prefix.count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            let group = String(rest[..<slash])
            guard !group.isEmpty, !group.contains("+"), !group.contains("#") else { return nil }
            guard let filter = TopicFilter(String(rest[rest.index(after: slash)...])) else { return nil }
            self = .shared(group: group, filter: filter)
        } else {
            guard let filter = TopicFilter(string) else { return nil }
            self = .plain(filter)
        }
    }

    public var filter: TopicFilter {
        switch self {
        case .plain(let filter), .shared(_, let filter): filter
        }
    }

    public var shareGroup: String? {
        if case .shared(let group, _) = self { return group }
        return nil
    }

    /// The text as the client sent it; the key of a session's subscription table.
    public var description: String {
        switch self {
        case .plain(let filter): filter.string
        case .shared(let group, let filter): "$share/\(group)/\(filter.string)"
        }
    }
}
