/// Why an inbound packet was refused. Carries the 5.0 reason code to answer with and the packet type, so a
/// log line can name exactly what the client got wrong.
public struct MQTTProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason code a 5.0 peer is told (in CONNACK before a session exists, else in DISCONNECT).
    public var reason: ReasonCode
    /// The packet being decoded, when the fixed header was readable.
    public var packetType: PacketType?
    /// What exactly was wrong, for the log.
    public var message: String
    /// For a refused CONNECT: the version the client announced, when it got that far, so the CONNACK
    /// can be written in a form it reads.
    public var connectVersion: MQTTVersion?

    public init(_ reason: ReasonCode, _ message: String, packetType: PacketType? = nil) {
        self.reason = reason
        self.message = message
        self.packetType = packetType
    }

    public static func malformed(_ message: String, _ type: PacketType? = nil) -> MQTTProtocolError {
        MQTTProtocolError(.malformedPacket, message, packetType: type)
    }

    public static func protocolError(_ message: String, _ type: PacketType? = nil) -> MQTTProtocolError {
        MQTTProtocolError(.protocolError, message, packetType: type)
    }

    public var description: String {
        if let packetType {
            return "\(packetType): \(message) (\(reason))"
        }
        return "\(message) (\(reason))"
    }
}
