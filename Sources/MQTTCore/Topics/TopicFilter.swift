/// A subscription's topic filter (§4.7), validated at construction: `#` only as the last level on its own,
/// `+` only as a whole level. Matching works on the UTF-8 bytes without allocating.
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    public let string: String
    /// Whether the filter holds `+` or `#`; literal filters can be looked up directly.
    public let hasWildcards: Bool

    public init?(_ string: String) {
        guard !string.isEmpty, MQTTString.isEncodable(string) else { return nil }
        let levels = string.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var wildcards = false
        for (index, level) in levels.enumerated() {
            let hasHash = level.contains(UInt8(ascii: "#"))
            let hasPlus = level.contains(UInt8(ascii: "+"))
            if hasHash {
                // `#` must be a whole level and the last one.
                guard level.count == 1, index == levels.count - 1 else { return nil }
                wildcards = true
            } else if hasPlus {
                guard level.count == 1 else { return nil }
                wildcards = true
            }
        }
        self.string = string
        self.hasWildcards = wildcards
    }

    /// The filter's levels, split at `/` (empty levels kept, as the spec requires).
    public var levels: [Substring] {
        string.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// Whether `topic` matches this filter (§4.7.1, §4.7.2).
    public func matches(_ topic: TopicName) -> Bool {
        TopicMatcher.matches(filter: string.utf8, topic: topic.string.utf8)
    }

    public var description: String { string }
}

/// Byte-wise MQTT topic matching shared by `TopicFilter` and the stores that keep raw strings.
public enum TopicMatcher {
    public static func matches(filter: String, topic: String) -> Bool {
        matches(filter: filter.utf8, topic: topic.utf8)
    }

    public static func matches(filter: String.UTF8View, topic: String.UTF8View) -> Bool {
        var f = filter.startIndex
        var t = topic.startIndex
        let slash = UInt8(ascii: "/")
        // A filter starting with a wildcard never matches a `$` topic.
        if let first = topic.first, first == UInt8(ascii: "$"),
           let head = filter.first, head == UInt8(ascii: "+") || head == UInt8(ascii: "#") {
            return false
        }
        while f != filter.endIndex {
            let fc = filter[f]
            if fc == UInt8(ascii: "#") {
                return true
            }
            if fc == UInt8(ascii: "+") {
                // Consume one topic level (possibly empty).
                while t != topic.endIndex && topic[t] != slash { t = topic.index(after: t) }
                f = filter.index(after: f)
                continue
            }
            if fc == slash {
                // `a/#` also matches `a` (the parent level).
                let next = filter.index(after: f)
                if t == topic.endIndex {
                    return next != filter.endIndex && filter[next] == UInt8(ascii: "#")
                        && filter.index(after: next) == filter.endIndex
                }
                guard topic[t] == slash else { return false }
                f = next
                t = topic.index(after: t)
                continue
            }
            guard t != topic.endIndex, topic[t] == fc else { return false }
            f = filter.index(after: f)
            t = topic.index(after: t)
        }
        return t == topic.endIndex
    }
}
