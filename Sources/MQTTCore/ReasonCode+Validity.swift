/// Which reason codes each packet may carry (5.0 §3.x.2.1 tables; 3.1.1 §3.9.3 for SUBACK). A code outside
/// its packet's table makes the packet malformed: accepting it would hand the application a meaning the
/// sender cannot have intended (a 3.1.1 SUBACK with 0x95 would read as a granted subscription's failure code
/// that 3.1.1 cannot even write back).
extension ReasonCode {
    public static func allowed(in packetType: PacketType, version: MQTTVersion) -> Set<UInt8> {
        if !version.hasProperties {
            // The only reason-bearing 3.1.1 packet read as reason codes; CONNACK has its own return codes.
            return packetType == .suback ? [0x00, 0x01, 0x02, 0x80] : []
        }
        return allowedIn5[packetType] ?? []
    }

    private static let allowedIn5: [PacketType: Set<UInt8>] = {
        let publishAck: Set<UInt8> = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
        let publishRelease: Set<UInt8> = [0x00, 0x92]
        return [
            .connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95,
                       0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F],
            .puback: publishAck,
            .pubrec: publishAck,
            .pubrel: publishRelease,
            .pubcomp: publishRelease,
            .suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2],
            .unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91],
            .disconnect: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
                          0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2],
            .auth: [0x00, 0x18, 0x19],
        ]
    }()
}

extension PacketReader {
    /// Reads one reason code and refuses one its packet may not carry.
    public mutating func readReasonCode(version: MQTTVersion) throws -> ReasonCode {
        let code = try readByte("reason code")
        guard ReasonCode.allowed(in: packetType, version: version).contains(code) else {
            throw malformed("reason code \(ReasonCode(rawValue: code)) is not valid in \(packetType)")
        }
        return ReasonCode(rawValue: code)
    }
}
