/// Which reason codes each packet may carry (5.0 §3.x.2.1 tables; 3.1.1 §3.9.3 for SUBACK). A code outside
/// its packet's table makes the packet malformed: accepting it would hand the application a meaning the
/// sender cannot have intended (a 3.1.1 SUBACK with 0x95 is a failure code 3.1.1 cannot even write back).
extension ReasonCode {
    /// A switch, not a table: PUBACK and PUBREC are read per message, so this must not allocate or hash.
    public static func isValid(_ code: UInt8, in packetType: PacketType, version: MQTTVersion) -> Bool {
        guard version.hasProperties else {
            // SUBACK is the only 3.1.1 packet read as reason codes; CONNACK has its own return codes.
            return packetType == .suback && (code <= 0x02 || code == 0x80)
        }
        // PUBREC shares PUBACK's table, PUBCOMP PUBREL's.
        let table: PacketType = switch packetType {
        case .pubrec: .puback
        case .pubcomp: .pubrel
        default: packetType
        }
        switch (table, code) {
        case (.connack, 0x00), (.connack, 0x80...0x8A), (.connack, 0x8C), (.connack, 0x90), (.connack, 0x95),
             (.connack, 0x97), (.connack, 0x99...0x9D), (.connack, 0x9F):
            return true
        case (.puback, 0x00), (.puback, 0x10), (.puback, 0x80), (.puback, 0x83), (.puback, 0x87), (.puback, 0x90),
             (.puback, 0x91), (.puback, 0x97), (.puback, 0x99):
            return true
        case (.pubrel, 0x00), (.pubrel, 0x92):
            return true
        case (.suback, 0x00...0x02), (.suback, 0x80), (.suback, 0x83), (.suback, 0x87), (.suback, 0x8F),
             (.suback, 0x91), (.suback, 0x97), (.suback, 0x9E), (.suback, 0xA1), (.suback, 0xA2):
            return true
        case (.unsuback, 0x00), (.unsuback, 0x11), (.unsuback, 0x80), (.unsuback, 0x83), (.unsuback, 0x87),
             (.unsuback, 0x8F), (.unsuback, 0x91):
            return true
        case (.disconnect, 0x00), (.disconnect, 0x04), (.disconnect, 0x80...0x83), (.disconnect, 0x87),
             (.disconnect, 0x89), (.disconnect, 0x8B), (.disconnect, 0x8D...0x90), (.disconnect, 0x93...0xA2):
            return true
        case (.auth, 0x00), (.auth, 0x18), (.auth, 0x19):
            return true
        default:
            return false
        }
    }
}

extension PacketReader {
    /// Reads one reason code and refuses one its packet may not carry.
    public mutating func readReasonCode(version: MQTTVersion) throws -> ReasonCode {
        let code = try readByte("reason code")
        guard ReasonCode.isValid(code, in: packetType, version: version) else {
            throw malformed("reason code \(ReasonCode(rawValue: code)) is not valid in \(packetType)")
        }
        return ReasonCode(rawValue: code)
    }
}
