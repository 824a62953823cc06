/// The protocol level a client announces in CONNECT.
///
/// 3.1 (`MQIsdp`) is accepted and treated as 3.1.1: the wire format of every packet is the same, and old
/// devices still speak it.
public enum MQTTVersion: UInt8, Sendable, Hashable, CustomStringConvertible {
    case v3_1 = 3
    case v3_1_1 = 4
    case v5 = 5

    /// Whether packets carry reason codes and properties (MQTT 5.0).
    @inlinable public var hasProperties: Bool { self == .v5 }

    public var description: String {
        switch self {
        case .v3_1: "3.1"
        case .v3_1_1: "3.1.1"
        case .v5: "5.0"
        }
    }
}

/// Quality of service of a message or a subscription (MQTT 5.0 §4.3).
public enum QoS: UInt8, Sendable, Hashable, Comparable, CustomStringConvertible {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2

    public static func < (lhs: QoS, rhs: QoS) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}
