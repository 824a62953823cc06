import Foundation

/// Every topic seen since start, within fixed bounds: at most `limits.topics` topics (the idlest evicted
/// first), a `limits.tailLength` tail per topic, and `limits.payloadBudget` bytes over all tails (payloads
/// and what each message costs around them; the tails of the idlest topics shortened first). Counts stay
/// exact whatever is dropped.
///
/// A value owned by the console's UI loop: it is fed batches and read for rows and tails; nothing shares it.
public struct TrafficTable: Sendable {
    public struct Limits: Sendable {
        public var topics: Int
        public var tailLength: Int
        public var payloadBudget: Int

        public init(topics: Int = TrafficLimits.topics, tailLength: Int = TrafficLimits.tailLength,
                    payloadBudget: Int = TrafficLimits.payloadBudget) {
            self.topics = topics
            self.tailLength = tailLength
            self.payloadBudget = payloadBudget
        }
    }

    public let limits: Limits
    public private(set) var topics: [String: TopicTraffic] = [:]
    public private(set) var totalMessages = 0
    public private(set) var totalBytes = 0
    /// Topics dropped to stay within `limits.topics`.
    public private(set) var evictedTopics = 0
    /// Messages counted but never kept: the source shed them under load.
    public private(set) var unsampledMessages = 0
    /// Kept messages dropped from tails early to stay within the payload budget.
    public private(set) var trimmedSamples = 0
    public private(set) var payloadBytes = 0
    private var lastRateUpdate: Date?

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public var isEmpty: Bool { topics.isEmpty }

    public mutating func ingest(_ batch: TrafficBatch) {
        for sample in batch.samples {
            totalMessages += 1
            totalBytes += sample.size
            payloadBytes += topics[sample.topic, default: TopicTraffic(topic: sample.topic, firstSeen: sample.time)]
                .record(sample, tailLength: limits.tailLength)
        }
        for (topic, shed) in batch.shed {
            totalMessages += shed.messages
            totalBytes += shed.bytes
            unsampledMessages += shed.messages
            topics[topic, default: TopicTraffic(topic: topic, firstSeen: shed.lastTime)].record(shed)
        }
        if topics.count > limits.topics { evictIdlest() }
        if payloadBytes > limits.payloadBudget { trimTails() }
    }

    /// Brings every topic's rate up to `now` (called a few times a second, not per message).
    /// The first call only sets the baseline: what came before has no interval to be a rate over.
    public mutating func updateRates(now: Date) {
        guard let last = lastRateUpdate else {
            lastRateUpdate = now
            eachTopic { $0.messagesAtLastRate = $0.messages }
            return
        }
        let seconds = now.timeIntervalSince(last)
        guard seconds > 0 else { return }
        lastRateUpdate = now
        eachTopic { $0.updateRate(seconds: seconds, now: now) }
    }

    /// Changes every topic in place (iterating `keys` or `indices` would hold a second reference to the
    /// storage and copy all of it on the first write).
    private mutating func eachTopic(_ change: (inout TopicTraffic) -> Void) {
        var index = topics.startIndex
        while index != topics.endIndex {
            change(&topics.values[index])
            topics.formIndex(after: &index)
        }
    }

    /// Sum of the topics' rates.
    public var rate: Double { topics.values.reduce(0) { $0 + $1.rate } }

    /// By rate or count the application's topics come first and the broker's own (`$SYS/…`) after them:
    /// a broker reports dozens of figures every few seconds and would bury the traffic one came to see.
    public func rows(sortedBy order: TopicOrder) -> [TopicRow] {
        let rows = topics.values.map(TopicRow.init)
        switch order {
        case .rate:
            // Rates equal to two digits keep their names' order: rows do not trade places on noise.
            return rows.sorted {
                ($1.isSystem ? 1 : 0, $0.rateBucket, $1.topic) > ($0.isSystem ? 1 : 0, $1.rateBucket, $0.topic)
            }
        case .count:
            return rows.sorted { ($1.isSystem ? 1 : 0, $0.messages, $1.topic) > ($0.isSystem ? 1 : 0, $1.messages, $0.topic) }
        case .name:
            return rows.sorted { $0.topic < $1.topic }
        }
    }

    /// Drops the least recently seen tenth beyond the limit at once, so eviction is not paid per message.
    private mutating func evictIdlest() {
        let excess = topics.count - limits.topics * 9 / 10
        let idlest = topics.values.sorted { $0.lastSeen < $1.lastSeen }.prefix(excess).map(\.topic)
        for topic in idlest {
            payloadBytes -= topics.removeValue(forKey: topic)?.tailBytes ?? 0
        }
        evictedTopics += idlest.count
    }

    /// Shortens the tails of the least recently seen topics until the payloads are a tenth under budget.
    private mutating func trimTails() {
        let goal = limits.payloadBudget * 9 / 10
        for topic in topics.values.sorted(by: { $0.lastSeen < $1.lastSeen }).map(\.topic) {
            while payloadBytes > goal, topics[topic]?.tail.isEmpty == false {
                payloadBytes -= topics[topic]?.dropOldest() ?? 0
                trimmedSamples += 1
            }
            if payloadBytes <= goal { return }
        }
    }
}

/// How the Topics pane orders its rows (`S` cycles).
public enum TopicOrder: String, CaseIterable, Sendable {
    case rate, count, name

    /// A rate to two significant digits: ordering by it, with names breaking ties, keeps rows from trading
    /// places on noise.
    public static func rateBucket(_ rate: Double) -> Double {
        guard rate > 0 else { return 0 }
        let unit = pow(10, log10(rate).rounded(.down) - 1)
        return (rate / unit).rounded() * unit
    }

    public var next: TopicOrder {
        let all = TopicOrder.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }
}

/// One topic as the Topics pane lists it.
public struct TopicRow: Sendable, Hashable {
    public var topic: String
    public var messages: Int
    public var bytes: Int
    public var rate: Double
    public var lastSeen: Date
    public var lastQoS: Int
    public var lastRetain: Bool
    public var preview: Data

    var rateBucket: Double { TopicOrder.rateBucket(rate) }

    /// A broker's own topic (`$SYS/…`, or any `$` topic).
    public var isSystem: Bool { topic.hasPrefix("$") }

    public init(topic: String, messages: Int, bytes: Int, rate: Double, lastSeen: Date, lastQoS: Int,
                lastRetain: Bool, preview: Data) {
        self.topic = topic
        self.messages = messages
        self.bytes = bytes
        self.rate = rate
        self.lastSeen = lastSeen
        self.lastQoS = lastQoS
        self.lastRetain = lastRetain
        self.preview = preview
    }

    init(_ traffic: TopicTraffic) {
        self.init(topic: traffic.topic, messages: traffic.messages, bytes: traffic.bytes, rate: traffic.rate,
                  lastSeen: traffic.lastSeen, lastQoS: traffic.lastQoS, lastRetain: traffic.lastRetain,
                  preview: traffic.lastPreview)
    }
}
