import Foundation

/// What a traffic source holds between two drains: up to `perSecond` messages a second kept whole (and
/// never more than `limit` at once), the rest only counted per topic. A flood then costs an append or a
/// counter where it happens, and the console a bounded number of samples to store, however fast it comes.
public struct TrafficBuffer<Kept: Sendable>: Sendable {
    public let limit: Int
    public let perSecond: Int
    public private(set) var kept: [Kept] = []
    public private(set) var shed: [String: ShedCount] = [:]
    private var second: Int64 = 0
    private var keptThisSecond = 0

    public init(limit: Int, perSecond: Int) {
        self.limit = limit
        self.perSecond = perSecond
    }

    /// - Parameter unixSecond: the message's second, for the per-second budget.
    public mutating func add(_ item: @autoclosure () -> Kept, topic: String, size: Int, qos: Int, retain: Bool,
                             unixSecond: Int64, time: @autoclosure () -> Date) {
        if unixSecond != second {
            second = unixSecond
            keptThisSecond = 0
        }
        if keptThisSecond < perSecond, kept.count < limit {
            keptThisSecond += 1
            kept.append(item())
        } else {
            shed[topic, default: ShedCount()].add(size: size, qos: qos, retain: retain, time: time())
        }
    }

    /// Everything held, leaving the buffer empty, with room for as much again: a flood over 10,000 topics
    /// would otherwise regrow (and rehash) the counters from nothing after every drain.
    public mutating func take() -> (kept: [Kept], shed: [String: ShedCount]) {
        let taken = (kept, shed)
        kept = []
        kept.reserveCapacity(taken.0.count)
        shed = Dictionary(minimumCapacity: taken.1.count)
        return taken
    }
}

extension ShedCount {
    /// Both counts together; the later message's flags win.
    public func merged(with other: ShedCount) -> ShedCount {
        var sum = other.lastTime >= lastTime ? other : self
        sum.messages = messages + other.messages
        sum.bytes = bytes + other.bytes
        return sum
    }
}
