import Foundation

/// The `/` filter of a pane: a case-insensitive substring, or, on topic panes, an MQTT topic filter when the
/// text contains `+` or `#` and is a valid filter (so `sensor/+/temp` finds `sensor/kitchen/temp`).
public struct RowFilter: Sendable, Hashable {
    public var text: String
    public var wildcardAllowed: Bool

    public init(_ text: String, wildcardAllowed: Bool) {
        self.text = text
        self.wildcardAllowed = wildcardAllowed
    }

    public var isEmpty: Bool { text.isEmpty }

    /// True when the text is used as an MQTT wildcard filter rather than a substring.
    public var isWildcard: Bool {
        wildcardAllowed && (text.contains("+") || text.contains("#")) && TopicMatch.isValidFilter(text)
    }

    /// Whether a record passes: `topic` is its topic (or subscription filter) for wildcard filters,
    /// `fields` the texts a substring may be found in.
    public func matches(topic: String?, fields: [String]) -> Bool {
        if text.isEmpty { return true }
        if isWildcard {
            guard let topic else { return false }
            return TopicMatch.matches(filter: text, topic: topic)
        }
        return fields.contains { $0.range(of: text, options: .caseInsensitive) != nil }
    }
}
