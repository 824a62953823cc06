import NIOCore

/// A message delivered to a subscriber.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The pattern that matched, for `PSUBSCRIBE` subscriptions.
    public var pattern: String?
    /// The payload, binary safe.
    public var payload: ByteBuffer
    /// Whether it came through a sharded subscription (`SSUBSCRIBE`/`SPUBLISH`).
    public var isSharded: Bool

    public init(channel: String, pattern: String? = nil, payload: ByteBuffer, isSharded: Bool = false) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
        self.isSharded = isSharded
    }

    /// The payload as UTF-8 text.
    public var text: String { String(buffer: payload) }
}

/// The three kinds of subscription Redis has.
public enum RedisSubscriptionKind: String, Sendable, Hashable, CaseIterable {
    /// `SUBSCRIBE channel`.
    case channel
    /// `PSUBSCRIBE pattern`.
    case pattern
    /// `SSUBSCRIBE shardchannel` (Redis 7): served by the node owning the channel's slot.
    case shardChannel

    var subscribeCommand: String {
        switch self {
        case .channel: return "SUBSCRIBE"
        case .pattern: return "PSUBSCRIBE"
        case .shardChannel: return "SSUBSCRIBE"
        }
    }

    var unsubscribeCommand: String {
        switch self {
        case .channel: return "UNSUBSCRIBE"
        case .pattern: return "PUNSUBSCRIBE"
        case .shardChannel: return "SUNSUBSCRIBE"
        }
    }

    /// The kind and direction of a confirmation event (`subscribe`, `punsubscribe`, ...).
    static func confirmation(_ event: String) -> (kind: RedisSubscriptionKind, subscribed: Bool)? {
        switch event {
        case "subscribe": return (.channel, true)
        case "unsubscribe": return (.channel, false)
        case "psubscribe": return (.pattern, true)
        case "punsubscribe": return (.pattern, false)
        case "ssubscribe": return (.shardChannel, true)
        case "sunsubscribe": return (.shardChannel, false)
        default: return nil
        }
    }
}

/// Callbacks for what arrives outside the request/reply flow. Called on the connection's event loop: keep
/// them short.
struct RedisPushHandlers: Sendable {
    /// A published message.
    var onMessage: @Sendable (RedisPubSubMessage) -> Void = { _ in }
    /// An unsubscribe nobody asked for, such as `sunsubscribe` after the channel's slot moved.
    var onUnsolicitedUnsubscribe: @Sendable (RedisSubscriptionKind, String) -> Void = { _, _ in }
    /// Any other RESP3 push (client-side caching invalidations, ...).
    var onPush: @Sendable (RESPValue) -> Void = { _ in }
}
