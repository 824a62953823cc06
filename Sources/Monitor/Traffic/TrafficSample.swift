import Foundation

/// One application message as the console saw it go through the broker: the tap in embedded modes, the
/// `--mqtt` subscription in attach mode.
public struct TrafficSample: Sendable, Hashable {
    public var topic: String
    /// The payload, cut at `TrafficLimits.payloadBytesKept`; `size` is the whole length.
    public var payload: Data
    public var size: Int
    public var qos: Int
    public var retain: Bool
    /// The publishing client where the broker knows it (never in attach mode: MQTT does not say).
    public var sender: String?
    public var time: Date
    /// MQTT 5 properties worth showing (content type, response topic, …), as label and value.
    public var properties: [Property]

    public struct Property: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(topic: String, payload: Data, size: Int? = nil, qos: Int, retain: Bool, sender: String? = nil,
                time: Date, properties: [Property] = []) {
        self.topic = topic
        self.payload = payload.count > TrafficLimits.payloadBytesKept
            ? payload.prefix(TrafficLimits.payloadBytesKept) : payload
        self.size = size ?? payload.count
        self.qos = qos
        self.retain = retain
        self.sender = sender
        self.time = time
        self.properties = properties
    }
}

/// Messages a source counted without keeping them (it sheds samples under load; counts stay exact).
public struct ShedCount: Sendable, Hashable {
    public var messages = 0
    public var bytes = 0
    public var lastQoS = 0
    public var lastRetain = false
    public var lastTime = Date.distantPast

    public init() {}

    public mutating func add(size: Int, qos: Int, retain: Bool, time: Date) {
        messages += 1
        bytes += size
        lastQoS = qos
        lastRetain = retain
        lastTime = time
    }
}

/// What a traffic source delivers at a time: the samples it kept, in arrival order, and per topic what it
/// only counted.
public struct TrafficBatch: Sendable {
    public var samples: [TrafficSample] = []
    public var shed: [String: ShedCount] = [:]

    public init(samples: [TrafficSample] = [], shed: [String: ShedCount] = [:]) {
        self.samples = samples
        self.shed = shed
    }

    public var isEmpty: Bool { samples.isEmpty && shed.isEmpty }
    public var messageCount: Int { samples.count + shed.values.reduce(0) { $0 + $1.messages } }
}

/// The bounds of traffic tracking: the console's memory must not grow with the fleet's topic count.
public enum TrafficLimits {
    /// Topics tracked; past it the idlest are evicted (and counted).
    public static let topics = 100_000
    /// Messages kept per topic for the tail.
    public static let tailLength = 100
    /// Memory the tails may hold in all: payloads plus `tailEntryOverhead` a message.
    public static let payloadBudget = 64 << 20
    /// What a message in a tail costs besides its payload (measured: about 150 bytes of struct and storage).
    public static let tailEntryOverhead = 160
    /// Bytes kept of one payload (the size is still recorded whole).
    public static let payloadBytesKept = 64 << 10
    /// Bytes kept for the one-line preview of the last payload.
    public static let previewBytes = 256
}
