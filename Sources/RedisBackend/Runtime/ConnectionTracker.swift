import MQTTBroker
import Synchronization

/// The newest connection of each client, so the disconnect of a connection that was taken over does not
/// write `state 0` over its successor's online state (events of two connections can interleave).
final class ConnectionTracker: Sendable {
    private let latest = Mutex<[String: UInt64]>([:])

    func connected(_ client: ClientInfo) {
        latest.withLock { latest in
            if (latest[client.clientID] ?? 0) < client.connectionID { latest[client.clientID] = client.connectionID }
        }
    }

    /// Whether `client` is the newest connection of its id; forgets it when it is (it is going away).
    func isLatest(_ client: ClientInfo) -> Bool {
        latest.withLock { latest in
            guard let newest = latest[client.clientID] else { return true }
            if newest > client.connectionID { return false }
            latest[client.clientID] = nil
            return true
        }
    }
}
