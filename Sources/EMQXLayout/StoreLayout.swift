/// Which writer's layout the keys follow, and so what they mean. Two EMQX generations share the key
/// names `mqtt:sub:*` and `mqtt:msg:*` with different contents:
///
/// - `emqx4`: EMQX 3.x/4.x `emqx_backend_redis`, the seed document's layout: client state, nodes,
///   subscriptions, retained messages, ack cursors; every `mqtt:msg:<topic>` score is `1`.
/// - `omp`: the EMQX 5.x/6.x offline-message plugin. Subscriptions and offline messages only; the score
///   of `mqtt:msg:<topic>` is a time in milliseconds whose meaning depends on the plugin generation.
public enum StoreLayout: Sendable, Hashable {
    case emqx4
    case omp(OfflineMessageLayout)

    /// The short name the header shows: `emqx4`, `omp 5.x`, `omp 6.x`.
    public var name: String {
        switch self {
        case .emqx4: return "emqx4"
        case .omp(let omp): return omp.name
        }
    }

    /// `mqtt:sub:`, or the plugin's configured prefix followed by `:`.
    public var subscriptionKeyPrefix: String {
        switch self {
        case .emqx4: return EMQXKeys.subscriptionPrefix
        case .omp(let omp): return omp.subscriptionPrefix + ":"
        }
    }

    /// `mqtt:msg:`, or the plugin's configured prefix followed by `:`.
    public var messageKeyPrefix: String {
        switch self {
        case .emqx4: return EMQXKeys.messagePrefix
        case .omp(let omp): return omp.messagePrefix + ":"
        }
    }

    /// Hash filter → qos, in both layouts.
    public func subscriptions(_ clientID: String) -> String { subscriptionKeyPrefix + clientID }
    /// Hash of one stored message, `id from qos topic payload ts retain` in both layouts.
    public func message(_ messageID: String) -> String { messageKeyPrefix + messageID }
    /// Sorted set of the message ids stored for a topic.
    public func topicMessages(_ topic: String) -> String { messageKeyPrefix + topic }

    /// What the layout keeps: the plugin keeps no client state, nodes, retained messages or ack cursors,
    /// and listens on no channel (it reads a client's subscriptions when the client connects).
    public var storesClientState: Bool { self == .emqx4 }
    public var storesRetained: Bool { self == .emqx4 }
    public var storesAckCursors: Bool { self == .emqx4 }
    public var listensOnChannel: Bool { self == .emqx4 }

    /// The `ZCOUNT` bounds of the members of `mqtt:msg:<topic>` not yet expired at `now` (unix ms), or
    /// nil when the layout keeps no expiry in the score (`emqx4`: every member counts, `ZCARD`).
    public func liveScoreRange(now: Int64) -> (min: String, max: String)? {
        switch self {
        case .emqx4: return nil
        case .omp(let omp): return ("(" + String(omp.expiryThreshold(now: now)), "+inf")
        }
    }

    /// Whether a member with this score has expired at `now` (unix ms), as the writer itself decides
    /// when it delivers.
    public func isExpired(score: Double, now: Int64) -> Bool {
        switch self {
        case .emqx4: return false
        case .omp(let omp): return score <= Double(omp.expiryThreshold(now: now))
        }
    }
}

/// The offline-message plugin's settings as the console needs them: the plugin's own key prefixes
/// (`subscription_key_prefix`, `message_key_prefix`, without the `:` it adds), its `message_ttl`, and
/// what the sorted-set score holds.
public struct OfflineMessageLayout: Sendable, Hashable {
    public enum Score: String, Sendable, CaseIterable {
        /// The 5.x plugin (`emqx/emqx-offline-message-plugin`): publish time + TTL; it prunes members
        /// scored 2 … now on every publish and delivers only members scored above now.
        case expiry
        /// The 6.x tree (`emqx_offline_messages`): the publish time; it prunes members older than the TTL
        /// on every publish and delivers only younger ones.
        case publishTime
    }

    public static let defaultSubscriptionPrefix = "mqtt:sub"
    public static let defaultMessagePrefix = "mqtt:msg"
    /// Seconds, the plugin's default `message_ttl`.
    public static let defaultMessageTTL = 7200

    public var score: Score
    public var subscriptionPrefix: String
    public var messagePrefix: String
    /// Seconds; decides expiry only for `publishTime` scores.
    public var messageTTL: Int

    public init(score: Score, subscriptionPrefix: String = defaultSubscriptionPrefix,
                messagePrefix: String = defaultMessagePrefix, messageTTL: Int = defaultMessageTTL) {
        self.score = score
        self.subscriptionPrefix = Self.trimmingColon(subscriptionPrefix)
        self.messagePrefix = Self.trimmingColon(messagePrefix)
        self.messageTTL = messageTTL
    }

    public var name: String {
        switch score {
        case .expiry: return "omp 5.x"
        case .publishTime: return "omp 6.x"
        }
    }

    /// Members scored at or below this (unix ms) have expired at `now`.
    public func expiryThreshold(now: Int64) -> Int64 {
        switch score {
        case .expiry: return now
        case .publishTime: return now - Int64(messageTTL) * 1000
        }
    }

    /// The plugin adds the `:` itself; a prefix given as `mqtt:sub:` means the same keys.
    static func trimmingColon(_ prefix: String) -> String {
        prefix.hasSuffix(":") ? String(prefix.dropLast()) : prefix
    }
}
