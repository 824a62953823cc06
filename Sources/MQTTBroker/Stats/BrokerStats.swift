import Synchronization

/// Counters the broker keeps for `$SYS` and the console. Atomic, so every event loop bumps them without a
/// lock; a snapshot is a consistent-enough read for monitoring.
public final class BrokerStats: Sendable {
    let connectedClients = Atomic<Int>(0)
    let totalSessions = Atomic<Int>(0)
    let messagesReceived = Atomic<Int>(0)
    let messagesSent = Atomic<Int>(0)
    let bytesReceived = Atomic<Int>(0)
    let bytesSent = Atomic<Int>(0)
    let publishReceived = Atomic<Int>(0)
    let publishSent = Atomic<Int>(0)
    let publishDropped = Atomic<Int>(0)
    let subscriptions = Atomic<Int>(0)
    let retainedCount = Atomic<Int>(0)
    let inflight = Atomic<Int>(0)
    let queued = Atomic<Int>(0)
    let protocolErrors = Atomic<Int>(0)
    let connectionsAccepted = Atomic<Int>(0)
    let startedAtSeconds: Int64

    init(startedAtSeconds: Int64) {
        self.startedAtSeconds = startedAtSeconds
    }

    @inline(__always) func add(_ counter: borrowing Atomic<Int>, _ value: Int = 1) {
        counter.wrappingAdd(value, ordering: .relaxed)
    }

    public func snapshot(nowSeconds: Int64) -> BrokerStatsSnapshot {
        BrokerStatsSnapshot(
            connectedClients: connectedClients.load(ordering: .relaxed),
            sessions: totalSessions.load(ordering: .relaxed),
            messagesReceived: messagesReceived.load(ordering: .relaxed),
            messagesSent: messagesSent.load(ordering: .relaxed),
            bytesReceived: bytesReceived.load(ordering: .relaxed),
            bytesSent: bytesSent.load(ordering: .relaxed),
            publishReceived: publishReceived.load(ordering: .relaxed),
            publishSent: publishSent.load(ordering: .relaxed),
            publishDropped: publishDropped.load(ordering: .relaxed),
            subscriptions: subscriptions.load(ordering: .relaxed),
            retained: retainedCount.load(ordering: .relaxed),
            inflight: inflight.load(ordering: .relaxed),
            queued: queued.load(ordering: .relaxed),
            protocolErrors: protocolErrors.load(ordering: .relaxed),
            uptimeSeconds: nowSeconds - startedAtSeconds)
    }
}

/// A point-in-time copy of the broker's counters.
public struct BrokerStatsSnapshot: Sendable, Hashable {
    public var connectedClients: Int
    public var sessions: Int
    public var messagesReceived: Int
    public var messagesSent: Int
    public var bytesReceived: Int
    public var bytesSent: Int
    public var publishReceived: Int
    public var publishSent: Int
    public var publishDropped: Int
    public var subscriptions: Int
    public var retained: Int
    public var inflight: Int
    public var queued: Int
    public var protocolErrors: Int
    public var uptimeSeconds: Int64
}
