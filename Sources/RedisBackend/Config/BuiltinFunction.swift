/// The plugin's built-in functions (spec §3), each implemented in its own file under `Functions/`.
public enum BuiltinFunction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case onClientConnected = "on_client_connected"
    case onClientDisconnected = "on_client_disconnected"
    case onSubscribeLookup = "on_subscribe_lookup"
    case onMessagePublish = "on_message_publish"
    case onMessageRetain = "on_message_retain"
    case onRetainDelete = "on_retain_delete"
    case onRetainLookup = "on_retain_lookup"
    case onMessageFetchForQueue = "on_message_fetch_for_queue"
    case onMessageAckedForQueue = "on_message_acked_for_queue"
    case onMessageFetchForPubsub = "on_message_fetch_for_pubsub"
    case onMessageAckedForPubsub = "on_message_acked_for_pubsub"
    case onMessageStoreKeepLatest = "on_message_store_keep_latest"
    case onMessageFetchForKeepLatest = "on_message_fetch_for_keep_latest"
    case onMessageAckedForKeepLatest = "on_message_acked_for_keep_latest"

    /// The hooks the function can be attached to.
    public var hooks: Set<HookPoint> {
        switch self {
        case .onClientConnected: [.clientConnected]
        case .onClientDisconnected: [.clientDisconnected]
        // 4.x files attach the lookup to client.connected; both work.
        case .onSubscribeLookup: [.sessionCreated, .clientConnected]
        case .onMessagePublish, .onMessageRetain, .onRetainDelete, .onMessageStoreKeepLatest: [.messagePublish]
        case .onRetainLookup, .onMessageFetchForQueue, .onMessageFetchForPubsub, .onMessageFetchForKeepLatest:
            [.sessionSubscribed]
        case .onMessageAckedForQueue, .onMessageAckedForPubsub, .onMessageAckedForKeepLatest: [.messageAcked]
        }
    }

    /// Whether the function stores with a TTL from `expired_time`.
    var usesExpiry: Bool {
        switch self {
        case .onMessagePublish, .onMessageRetain, .onMessageStoreKeepLatest: true
        default: false
        }
    }

    public var description: String { rawValue }
}
