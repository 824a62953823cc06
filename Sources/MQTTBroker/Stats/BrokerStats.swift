import Synchronization

/// Counters the broker keeps for `$SYS` and the console.
///
/// The ones bumped per packet or message live in one lane per event loop (and one more for callers off
/// the loops) and are summed when read: two loops bumping one shared counter would bounce its cache line
/// between cores on every message. A snapshot is a consistent-enough read for monitoring.
public final class BrokerStats: Sendable {
    /// A counter kept per lane.
    enum Counter: CaseIterable {
        case connectedClients, messagesReceived, messagesSent, bytesReceived, bytesSent, publishReceived
        case publishSent, publishDropped, subscriptions, inflight, queued, protocolErrors
    }

    private let lanes: [StatsLane]
    /// Set, not counted: the registry's size.
    let totalSessions = Atomic<Int>(0)
    /// Hands out connection ids: shared on purpose (one per CONNECT, not per message).
    let connectionsAccepted = Atomic<Int>(0)
    let startedAtSeconds: Int64

    init(startedAtSeconds: Int64, loops: Int = 1) {
        self.startedAtSeconds = startedAtSeconds
        lanes = (0...max(loops, 1)).map { _ in StatsLane() }
    }

    /// The lane for callers that run on no particular loop.
    var sharedLane: Int { lanes.count - 1 }

    /// Adds `value` in lane `lane` (the caller's event loop index; any lane is safe from any thread).
    @inline(__always) func add(_ counter: Counter, _ value: Int = 1, lane: Int) {
        lanes[lane < lanes.count && lane >= 0 ? lane : sharedLane].add(counter, value)
    }

    /// The sum over every lane.
    func total(_ counter: Counter) -> Int {
        lanes.reduce(0) { $0 + $1.value(counter) }
    }

    /// `retained` is the retained store's size at the time of reading: the store is filled by publishes
    /// and by a storage backend alike, so it is counted there, not here.
    public func snapshot(nowSeconds: Int64, retained: Int) -> BrokerStatsSnapshot {
        BrokerStatsSnapshot(
            connectedClients: total(.connectedClients),
            sessions: totalSessions.load(ordering: .relaxed),
            messagesReceived: total(.messagesReceived),
            messagesSent: total(.messagesSent),
            bytesReceived: total(.bytesReceived),
            bytesSent: total(.bytesSent),
            publishReceived: total(.publishReceived),
            publishSent: total(.publishSent),
            publishDropped: total(.publishDropped),
            subscriptions: total(.subscriptions),
            retained: retained,
            inflight: total(.inflight),
            queued: total(.queued),
            protocolErrors: total(.protocolErrors),
            uptimeSeconds: nowSeconds - startedAtSeconds)
    }
}

/// One loop's counters: its own allocation, padded so no other lane's counters share its cache lines.
final class StatsLane: Sendable {
    private let connectedClients = Atomic<Int>(0)
    private let messagesReceived = Atomic<Int>(0)
    private let messagesSent = Atomic<Int>(0)
    private let bytesReceived = Atomic<Int>(0)
    private let bytesSent = Atomic<Int>(0)
    private let publishReceived = Atomic<Int>(0)
    private let publishSent = Atomic<Int>(0)
    private let publishDropped = Atomic<Int>(0)
    private let subscriptions = Atomic<Int>(0)
    private let inflight = Atomic<Int>(0)
    private let queued = Atomic<Int>(0)
    private let protocolErrors = Atomic<Int>(0)
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    @inline(__always) func add(_ counter: BrokerStats.Counter, _ value: Int) {
        with(counter) { _ = $0.wrappingAdd(value, ordering: .relaxed) }
    }

    func value(_ counter: BrokerStats.Counter) -> Int {
        with(counter) { $0.load(ordering: .relaxed) }
    }

    /// The one place that maps a counter to its field.
    @inline(__always) private func with<R>(_ counter: BrokerStats.Counter, _ body: (borrowing Atomic<Int>) -> R) -> R {
        switch counter {
        case .connectedClients: body(connectedClients)
        case .messagesReceived: body(messagesReceived)
        case .messagesSent: body(messagesSent)
        case .bytesReceived: body(bytesReceived)
        case .bytesSent: body(bytesSent)
        case .publishReceived: body(publishReceived)
        case .publishSent: body(publishSent)
        case .publishDropped: body(publishDropped)
        case .subscriptions: body(subscriptions)
        case .inflight: body(inflight)
        case .queued: body(queued)
        case .protocolErrors: body(protocolErrors)
        }
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
