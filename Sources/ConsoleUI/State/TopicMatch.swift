/// MQTT topic-filter matching (MQTT 5.0 §4.7): `+` is one level, `#` the rest (and the parent level), and a
/// wildcard in the first level never matches a topic starting with `$`.
public enum TopicMatch {
    public static func isValidFilter(_ filter: String) -> Bool {
        guard !filter.isEmpty, !filter.contains("\u{0}") else { return false }
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            if level.contains("#") && (level != "#" || index != levels.count - 1) { return false }
            if level.contains("+") && level != "+" { return false }
        }
        return true
    }

    /// A topic a PUBLISH may carry: not empty, no wildcards, no NUL, within 65,535 bytes (§4.7.3).
    public static func isValidTopicName(_ topic: String) -> Bool {
        !topic.isEmpty && topic.utf8.count <= 65_535 && !topic.contains { $0 == "+" || $0 == "#" || $0 == "\u{0}" }
    }

    /// A level of `topic` that is itself `+` (a subscription's filter) is matched literally by `+`.
    public static func matches(filter: String, topic: String) -> Bool {
        let f = filter.split(separator: "/", omittingEmptySubsequences: false)
        let t = topic.split(separator: "/", omittingEmptySubsequences: false)
        if topic.hasPrefix("$"), let first = f.first, first == "+" || first == "#" { return false }
        for (index, level) in f.enumerated() {
            if level == "#" { return true }
            guard index < t.count else { return false }
            if level != "+" && level != t[index] { return false }
        }
        return f.count == t.count
    }
}
