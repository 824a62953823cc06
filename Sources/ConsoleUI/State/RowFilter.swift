import Foundation

/// The `/` filter of a pane: a case-insensitive substring, or, on topic panes, an MQTT topic filter when the
/// text contains `+` or `#` and is a valid filter (so `sensor/+/temp` finds `sensor/kitchen/temp`).
///
/// Matching runs once per record per key press over 100,000 records, so the substring test works on UTF-8
/// bytes with ASCII case folding and allocates nothing; only a needle with non-ASCII letters falls back to
/// Foundation's comparison.
public struct RowFilter: Sendable, Hashable {
    public let text: String
    public let wildcardAllowed: Bool
    /// True when the text is used as an MQTT wildcard filter rather than a substring.
    public let isWildcard: Bool
    /// The needle lower-cased, when it is ASCII.
    private let asciiNeedle: [UInt8]?

    public init(_ text: String, wildcardAllowed: Bool) {
        self.text = text
        self.wildcardAllowed = wildcardAllowed
        isWildcard = wildcardAllowed && (text.contains("+") || text.contains("#")) && TopicMatch.isValidFilter(text)
        asciiNeedle = text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.map(Self.lower) : nil
    }

    public var isEmpty: Bool { text.isEmpty }

    /// Whether a record passes: `topic` is its topic (or subscription filter) for wildcard filters,
    /// `fields` the texts a substring may be found in.
    public func matches(topic: String?, fields: [String]) -> Bool {
        if text.isEmpty { return true }
        if isWildcard {
            guard let topic else { return false }
            return TopicMatch.matches(filter: text, topic: topic)
        }
        return fields.contains(where: contains)
    }

    /// Whether a wildcard filter matches `topic` (false for a substring filter).
    public func matchesTopic(_ topic: String) -> Bool {
        isWildcard && TopicMatch.matches(filter: text, topic: topic)
    }

    /// Whether `haystack` holds the filter's text, ignoring case.
    public func contains(_ haystack: String) -> Bool {
        guard let needle = asciiNeedle else {
            return haystack.range(of: text, options: .caseInsensitive) != nil
        }
        if needle.isEmpty { return true }
        var copy = haystack
        return copy.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            let first = needle[0]
            var start = 0
            let last = bytes.count - needle.count
            while start <= last {
                if Self.lower(bytes[start]) == first {
                    var offset = 1
                    while offset < needle.count && Self.lower(bytes[start + offset]) == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    /// Whether every record `other` passes also passes this filter, so this one can narrow `other`'s result
    /// instead of scanning everything (typing one more character).
    func narrows(_ other: RowFilter) -> Bool {
        !isWildcard && !other.isWildcard && !other.isEmpty && wildcardAllowed == other.wildcardAllowed
            && text.lowercased().contains(other.text.lowercased())
    }

    @inline(__always) private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    public static func == (lhs: RowFilter, rhs: RowFilter) -> Bool {
        lhs.text == rhs.text && lhs.wildcardAllowed == rhs.wildcardAllowed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(wildcardAllowed)
    }
}
