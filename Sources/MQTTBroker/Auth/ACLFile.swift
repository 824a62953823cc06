import MQTTCore

/// Topic permissions in Mosquitto's `acl_file` format, for a local broker without Redis auth.
///
/// ```
/// topic read $SYS/#            # before any `user` line: anonymous clients
/// user alice
/// topic readwrite sensors/#
/// topic deny sensors/secret/#
/// pattern write devices/%c/status   # every client, %c its id, %u its username
/// ```
/// Nothing matching means no access, as in Mosquitto; a `deny` line refuses what it matches whatever else
/// allows it. See ``ACLFileParser`` for the syntax.
public struct ACLFile: Sendable, Hashable {
    /// One `topic` or `pattern` line.
    public struct Entry: Sendable, Hashable {
        public var filter: String
        public var access: ACLRule.Access
        public var denies: Bool
        /// Where it was written, for logs.
        public var line: Int
    }

    public let path: String
    /// `topic` lines before the first `user` line.
    public internal(set) var anonymous: [Entry] = []
    public internal(set) var users: [String: [Entry]] = [:]
    public internal(set) var patterns: [Entry] = []

    init(path: String) {
        self.path = path
    }

    /// The rules for one client: its user's `topic` lines (the anonymous ones without a username) and every
    /// `pattern` with `%c` and `%u` filled in.
    public func permissions(username: String?, clientID: String) -> ClientPermissions {
        let user = username.flatMap { $0.isEmpty ? nil : $0 }
        var rules = (user.map { users[$0] ?? [] } ?? anonymous).map(\.rule)
        for pattern in patterns {
            if let filter = Self.substitute(pattern.filter, clientID: clientID, username: user) {
                rules.append(ACLRule(filter: filter, access: pattern.access, denies: pattern.denies))
            }
        }
        return ClientPermissions(rules: rules, allowWhenNoRuleMatches: false)
    }

    /// `%c` and `%u` replaced; nil when the pattern needs a username the client has not, or a value would
    /// change the filter's shape (`/`, `+`, `#`), which Mosquitto refuses to match as well.
    static func substitute(_ filter: String, clientID: String, username: String?) -> String? {
        var result = filter
        if result.contains("%c") {
            guard Self.isPlainLevel(clientID) else { return nil }
            result = result.replacingOccurrences(of: "%c", with: clientID)
        }
        if result.contains("%u") {
            guard let username, Self.isPlainLevel(username) else { return nil }
            result = result.replacingOccurrences(of: "%u", with: username)
        }
        return result
    }

    private static func isPlainLevel(_ text: String) -> Bool {
        !text.isEmpty && !text.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }
    }
}

extension ACLFile.Entry {
    var rule: ACLRule { ACLRule(filter: filter, access: access, denies: denies) }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
