/// A parsed `emqx_auth_redis.conf` (the companion plugin of the backend): where users and ACLs live and
/// how passwords are hashed.
public struct AuthConfiguration: Sendable {
    public var pool: PoolConfiguration
    /// Reads the stored password (and salt): `HMGET mqtt_user:%u password` by default.
    public var authCommand: AuthCommandTemplate
    /// Says whether the user is a superuser (ACL bypassed).
    public var superCommand: AuthCommandTemplate?
    /// Reads the ACL hash: filter → 1 subscribe, 2 publish, 3 both.
    public var aclCommand: AuthCommandTemplate?
    public var passwordHash: PasswordHash = .plain
    /// Whether a client that matches no ACL rule is let through (EMQX's `acl_nomatch`, allow by default).
    public var allowWhenNoACLMatches = true
    /// Whether clients without a user name may connect.
    public var allowAnonymous = false
    public var source: String

    init(source: String) {
        self.source = source
        pool = PoolConfiguration(name: "auth", location: SourceLocation(file: source, line: 0))
        authCommand = AuthCommandTemplate(words: ["HMGET", "mqtt_user:%u", "password"])
        superCommand = AuthCommandTemplate(words: ["HGET", "mqtt_user:%u", "is_superuser"])
        aclCommand = AuthCommandTemplate(words: ["HGETALL", "mqtt_acl:%u"])
    }

    /// One line per setting, passwords masked, for `check-config`.
    public func explanation() -> [String] {
        var lines = ["auth pool (\(source)): \(pool.kind.rawValue) \(pool.servers.joined(separator: ",")) db \(pool.database)"
            + (pool.password != nil ? " password ***" : "")]
        lines.append("auth_cmd: \(authCommand.words.joined(separator: " ")), password_hash: \(passwordHash)")
        if let superCommand { lines.append("super_cmd: \(superCommand.words.joined(separator: " "))") }
        if let aclCommand { lines.append("acl_cmd: \(aclCommand.words.joined(separator: " "))") }
        lines.append("acl_nomatch: \(allowWhenNoACLMatches ? "allow" : "deny"), allow_anonymous: \(allowAnonymous)")
        return lines
    }
}

/// A lookup command of the auth plugin, with `%u` (user name) and `%c` (client id) placeholders. Split into
/// words before substitution, like the backend's templates: a user name cannot add an argument.
public struct AuthCommandTemplate: Sendable, Hashable {
    public let words: [String]

    init(words: [String]) {
        self.words = words
    }

    init?(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        guard let first = words.first, !first.contains("%") else { return nil }
        self.words = words
    }

    /// The command's words for one client.
    func arguments(username: String, clientID: String) -> [String] {
        words.map { $0.replacingOccurrences(of: "%u", with: username).replacingOccurrences(of: "%c", with: clientID) }
    }

    /// The hash fields an `HMGET` asks for, in order (to find `password` and `salt` in its reply).
    var requestedFields: [String] { words.count > 2 ? Array(words.dropFirst(2)) : [] }
}

import Foundation
