import Collections
import Foundation

/// One topic's traffic since it was first seen: exact counts, the last message, a smoothed rate, and the
/// tail of its most recent messages.
public struct TopicTraffic: Sendable {
    public let topic: String
    public internal(set) var messages = 0
    public internal(set) var bytes = 0
    public internal(set) var lastSeen: Date
    public internal(set) var lastQoS = 0
    public internal(set) var lastRetain = false
    /// The start of the last payload, for the one-line preview.
    public internal(set) var lastPreview = Data()
    /// Messages per second, smoothed over the last few seconds.
    public internal(set) var rate: Double = 0
    /// Oldest first; at most `TrafficLimits.tailLength`.
    public internal(set) var tail: Deque<TailMessage> = []
    /// Memory held by `tail`, as `TailMessage.cost` counts it.
    var tailBytes = 0
    /// `messages` when the rate was last computed.
    var messagesAtLastRate = 0

    init(topic: String, firstSeen: Date) {
        self.topic = topic
        lastSeen = firstSeen
    }

    /// Counts a kept sample and appends it to the tail; returns the bytes the tail gained (negative when an
    /// older, larger one fell out).
    mutating func record(_ sample: TrafficSample, tailLength: Int) -> Int {
        messages += 1
        bytes += sample.size
        noteLast(qos: sample.qos, retain: sample.retain, time: sample.time)
        lastPreview = sample.payload.prefix(TrafficLimits.previewBytes)
        let message = TailMessage(sample)
        var change = message.cost
        tail.append(message)
        while tail.count > tailLength, let dropped = tail.popFirst() { change -= dropped.cost }
        tailBytes += change
        return change
    }

    /// Counts messages the source did not keep.
    mutating func record(_ shed: ShedCount) {
        messages += shed.messages
        bytes += shed.bytes
        if shed.lastTime >= lastSeen { noteLast(qos: shed.lastQoS, retain: shed.lastRetain, time: shed.lastTime) }
    }

    /// Drops the oldest tail entry; returns the bytes it held (0 when the tail is empty).
    mutating func dropOldest() -> Int {
        guard let dropped = tail.popFirst() else { return 0 }
        tailBytes -= dropped.cost
        return dropped.cost
    }

    /// Folds the messages since the last call into the smoothed rate; a topic silent for `quietAfter`
    /// seconds has none.
    mutating func updateRate(seconds: Double, now: Date, quietAfter: Double = 5) {
        let recent = Double(messages - messagesAtLastRate) / max(seconds, 0.001)
        messagesAtLastRate = messages
        // Half the weight on the newest interval: a burst shows at once and fades within seconds.
        rate = rate * 0.5 + recent * 0.5
        if recent == 0, now.timeIntervalSince(lastSeen) > quietAfter { rate = 0 }
    }

    private mutating func noteLast(qos: Int, retain: Bool, time: Date) {
        lastQoS = qos
        lastRetain = retain
        lastSeen = max(lastSeen, time)
    }
}

/// One message of a topic's tail: a sample without its topic (the tail's owner has it).
public struct TailMessage: Sendable, Hashable {
    public let payload: Data
    public let size: Int
    public let qos: Int
    public let retain: Bool
    public let sender: String?
    public let time: Date
    public let properties: [TrafficSample.Property]

    init(_ sample: TrafficSample) {
        payload = sample.payload
        size = sample.size
        qos = sample.qos
        retain = sample.retain
        sender = sample.sender
        time = sample.time
        properties = sample.properties
    }

    /// What it holds in memory, for the tails' budget: the payload and about what a message costs around it
    /// (the struct in the tail, the payload's storage object).
    var cost: Int { payload.count + TrafficLimits.tailEntryOverhead }
}
