import MQTTCore

/// What an authenticated client may do. Decided once at CONNECT (one Redis lookup), then checked on the
/// session's loop for every PUBLISH and SUBSCRIBE without another round trip.
public struct ClientPermissions: Sendable, Hashable {
    public var superuser: Bool
    /// Rules with `%u` and `%c` already replaced.
    public var rules: [ACLRule]
    /// The answer when no rule matches.
    public var allowWhenNoRuleMatches: Bool
    /// Further permissions that must allow as well (an `--acl-file` on top of Redis ACLs).
    public var alsoRequired: [ClientPermissions] = []

    public init(superuser: Bool = false, rules: [ACLRule] = [], allowWhenNoRuleMatches: Bool = true) {
        self.superuser = superuser
        self.rules = rules
        self.allowWhenNoRuleMatches = allowWhenNoRuleMatches
    }

    /// Everything allowed: no authenticator configured.
    public static let all = ClientPermissions(superuser: true)

    /// These permissions, and `other`'s too.
    public func requiring(_ other: ClientPermissions) -> ClientPermissions {
        var combined = self
        combined.alsoRequired.append(other)
        return combined
    }

    public func mayPublish(_ topic: String) -> Bool {
        allows(topic, .publish) { TopicMatcher.matches(filter: $0, topic: topic) }
    }

    /// A subscription is allowed when a rule's filter covers the requested filter (every topic it matches,
    /// so `devices/+` does not allow `devices/#`) and no deny rule does.
    public func maySubscribe(_ filter: String) -> Bool {
        let plain = SubscriptionTarget(filter)?.filter.string ?? filter
        return allows(plain, .subscribe) { Self.covers($0, plain) }
    }

    /// Whether a message on `topic` may reach the client (checked per delivery when ``checksDeliveries``).
    public func mayReceive(_ topic: String) -> Bool {
        allows(topic, .subscribe) { TopicMatcher.matches(filter: $0, topic: topic) }
    }

    /// Deliveries are checked one by one where the subscribe check cannot settle it: a deny rule inside an
    /// allowed subscription (`#` with `deny secret/#`), or rules that deny what they do not name (an ACL
    /// file; a session resumed under another username keeps subscriptions its new rules may not allow).
    public var checksDeliveries: Bool {
        (!superuser && (rules.contains(where: \.denies) || !allowWhenNoRuleMatches))
            || alsoRequired.contains(where: \.checksDeliveries)
    }

    private func allows(_ subject: String, _ access: ACLRule.Access, matching: (String) -> Bool) -> Bool {
        ownRulesAllow(access, matching) && alsoRequired.allSatisfy { $0.allows(subject, access, matching: matching) }
    }

    private func ownRulesAllow(_ access: ACLRule.Access, _ matching: (String) -> Bool) -> Bool {
        if superuser { return true }
        for rule in rules where rule.denies && matching(rule.filter) {
            return false
        }
        var matched = false
        for rule in rules where !rule.denies && matching(rule.filter) {
            matched = true
            if rule.access.contains(access) { return true }
        }
        return matched ? false : allowWhenNoRuleMatches
    }

    /// Whether every topic `requested` (a filter) matches is matched by `rule`.
    static func covers(_ rule: String, _ requested: String) -> Bool {
        let ruleLevels = rule.split(separator: "/", omittingEmptySubsequences: false)
        let levels = requested.split(separator: "/", omittingEmptySubsequences: false)
        if requested.hasPrefix("$"), let first = ruleLevels.first, first == "+" || first == "#" { return false }
        for (index, level) in ruleLevels.enumerated() {
            if level == "#" { return true }
            guard index < levels.count else { return false }
            let wanted = levels[index]
            if wanted == "#" { return false }
            if level == "+" { continue }
            if wanted == "+" || wanted != level { return false }
        }
        return ruleLevels.count == levels.count
    }
}

/// One ACL entry: a topic filter and what it allows (emqx_auth_redis: 1 subscribe, 2 publish, 3 both).
public struct ACLRule: Sendable, Hashable {
    public struct Access: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let subscribe = Access(rawValue: 1)
        public static let publish = Access(rawValue: 2)
    }

    public var filter: String
    public var access: Access
    /// Refuses what it matches, whatever else allows it (Mosquitto's `deny`).
    public var denies: Bool

    public init(filter: String, access: Access, denies: Bool = false) {
        self.filter = filter
        self.access = access
        self.denies = denies
    }
}

/// Checks a client's credentials at CONNECT.
public protocol BrokerAuthenticator: Sendable {
    func authenticate(_ client: ClientInfo, password: [UInt8]?) async -> AuthenticationResult
    /// Whether it checks who connects (an ACL file alone lets anyone in, and only limits topics).
    var checksCredentials: Bool { get }
}

extension BrokerAuthenticator {
    public var checksCredentials: Bool { true }
}

/// The authenticator's answer.
public enum AuthenticationResult: Sendable {
    case allowed(ClientPermissions)
    /// Refused: CONNACK with `reason` (5.0) or its 3.1.1 return code; `why` goes to the log.
    case denied(ReasonCode, why: String)
}
