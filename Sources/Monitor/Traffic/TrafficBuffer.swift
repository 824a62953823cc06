import Foundation

/// What a traffic source holds between two drains: up to `limit` messages kept whole, then only counted
/// per topic, so a flood costs an append or a counter and the memory stays bounded.
public struct TrafficBuffer<Kept: Sendable>: Sendable {
    public let limit: Int
    public private(set) var kept: [Kept] = []
    public private(set) var shed: [String: ShedCount] = [:]

    public init(limit: Int) {
        self.limit = limit
    }

    public mutating func add(_ item: @autoclosure () -> Kept, topic: String, size: Int, qos: Int, retain: Bool,
                             time: @autoclosure () -> Date) {
        if kept.count < limit {
            kept.append(item())
        } else {
            shed[topic, default: ShedCount()].add(size: size, qos: qos, retain: retain, time: time())
        }
    }

    /// Everything held, leaving the buffer empty.
    public mutating func take() -> (kept: [Kept], shed: [String: ShedCount]) {
        defer {
            kept = []
            shed = [:]
        }
        return (kept, shed)
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
