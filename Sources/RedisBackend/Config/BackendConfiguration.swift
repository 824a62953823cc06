/// A parsed `emqx_backend_redis.conf`: pools, rules, and the time unit.
public struct BackendConfiguration: Sendable {
    public var pools: [String: PoolConfiguration] = [:]
    /// Rules by hook, each list in suffix order.
    public var rules: [HookPoint: [BackendRule]] = [:]
    /// Seconds (the seed's layout) or milliseconds (EMQX 4.x).
    public var timeUnit: TimeUnit = .seconds
    /// Where the configuration came from, for messages.
    public var source: String = "<none>"

    public init() {}

    public enum TimeUnit: String, Sendable {
        case seconds = "s"
        case milliseconds = "ms"

        /// `millis` in this unit.
        public func value(millis: Int64) -> Int64 {
            self == .seconds ? millis / 1000 : millis
        }
    }

    /// Every rule, in hook order then suffix order.
    public var allRules: [BackendRule] {
        HookPoint.allCases.flatMap { rules[$0] ?? [] }
    }
}

/// One `backend.redis.<pool>.*` block.
public struct PoolConfiguration: Sendable, Hashable {
    public enum Kind: String, Sendable { case single, sentinel, cluster }

    public var name: String
    public var kind: Kind = .single
    /// `host:port` entries: the server, the sentinels, or the cluster seeds.
    public var servers: [String] = ["127.0.0.1:6379"]
    public var sentinel: String?
    public var poolSize: Int = 8
    public var database: Int = 0
    public var username: String?
    public var password: String?
    public var channel: String = "mqtt_channel"
    public var ssl: Bool = false
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// Where the pool's first line is, for messages.
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// One `backend.redis.hook.<hook>.<N>` rule.
public struct BackendRule: Sendable {
    public enum Action: Sendable {
        case function(BuiltinFunction)
        case commands([CommandTemplate])
    }

    public var hook: HookPoint
    /// The `<N>` of the key; rules of a hook run in this order.
    public var suffix: String
    /// The rule's `topic` filter, nil for "every topic".
    public var topic: String?
    public var action: Action
    public var pool: String
    /// Seconds a stored message lives (`expired_time`, default 7200).
    public var expiredTime: Int
    public var location: SourceLocation

    /// Whether the rule applies to `topic` (a message topic, or a subscription filter on session hooks).
    func applies(to topic: String) -> Bool {
        guard let filter = self.topic, hook.usesTopic else { return true }
        return TopicFilterMatch.matches(filter: filter, topic: topic)
    }
}

/// `file:line`, for every message about the configuration.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

import MQTTCore

/// Rule topics match message topics and subscription filters alike: a filter is matched as if it were a
/// topic, so a `queue/#` rule covers a subscription to `queue/+` too.
enum TopicFilterMatch {
    static func matches(filter: String, topic: String) -> Bool {
        TopicMatcher.matches(filter: filter, topic: topic)
    }
}
