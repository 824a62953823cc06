import MQTTCore
import NIOCore
import Testing

/// Malformed input gets the reason code the spec names, never a crash.
struct DecoderValidationTests {
    func decode(_ bytes: [UInt8], version: MQTTVersion? = .v5, maximum: Int = 1 << 28) throws -> MQTTPacket? {
        var decoder = MQTTPacketDecoder(version: version, maximumPacketSize: maximum)
        var buffer = ByteBuffer(bytes: bytes)
        return try decoder.decode(from: &buffer)
    }

    func reason(_ bytes: [UInt8], version: MQTTVersion? = .v5, maximum: Int = 1 << 28) -> ReasonCode? {
        do {
            _ = try decode(bytes, version: version, maximum: maximum)
            return nil
        } catch let error as MQTTProtocolError {
            return error.reason
        } catch {
            return nil
        }
    }

    @Test func firstPacketMustBeConnect() {
        #expect(reason([0xC0, 0x00], version: nil) == .protocolError)
    }

    @Test func unsupportedProtocolLevel() {
        // CONNECT "MQTT" level 6
        let bytes: [UInt8] = [0x10, 12, 0, 4, 0x4D, 0x51, 0x54, 0x54, 6, 0x02, 0, 60, 0, 0]
        #expect(reason(bytes, version: nil) == .unsupportedProtocolVersion)
    }

    @Test func reservedConnectFlag() {
        let bytes: [UInt8] = [0x10, 12, 0, 4, 0x4D, 0x51, 0x54, 0x54, 4, 0x03, 0, 60, 0, 0]
        #expect(reason(bytes, version: nil) == .malformedPacket)
    }

    /// Found by `make fuzz` (fuzz/regressions/mqtt/suback-v311-reserved-return-code): a 3.1.1 SUBACK with a
    /// 5.0-only code was accepted, and read back as a different code.
    @Test func reasonCodeMustBeValidForItsPacket() throws {
        #expect(reason([0x90, 0x03, 0x00, 0x01, 0x95], version: .v3_1_1) == .malformedPacket)
        #expect(try decode([0x90, 0x04, 0x00, 0x01, 0x02, 0x80], version: .v3_1_1) != nil)
        #expect(reason([0x40, 0x03, 0x00, 0x01, 0x01]) == .malformedPacket)          // PUBACK 0x01
        #expect(reason([0x70, 0x03, 0x00, 0x01, 0x10]) == .malformedPacket)          // PUBCOMP 0x10
        #expect(reason([0xE0, 0x02, 0x8C, 0x00]) == .malformedPacket)                // DISCONNECT 0x8C
        #expect(reason([0xF0, 0x02, 0x87, 0x00]) == .malformedPacket)                // AUTH 0x87
        #expect(reason([0x20, 0x03, 0x00, 0x8B, 0x00]) == .malformedPacket)          // CONNACK 0x8B
        #expect(reason([0xB0, 0x04, 0x00, 0x01, 0x00, 0x02]) == .malformedPacket)    // UNSUBACK 0x02
        #expect(try decode([0x90, 0x04, 0x00, 0x01, 0x00, 0xA2]) != nil)             // SUBACK 0xA2
        #expect(try decode([0x50, 0x03, 0x00, 0x01, 0x10]) != nil)                   // PUBREC 0x10
    }

    /// MQTT-3.3.1-2: DUP on a QoS 0 PUBLISH is a Protocol Error (0x82), not a malformed packet.
    @Test func dupOnQoS0IsAProtocolError() {
        #expect(reason([0x38, 0x04, 0x00, 0x01, 0x61, 0x00]) == .protocolError)
        #expect(reason([0x38, 0x03, 0x00, 0x01, 0x61], version: .v3_1_1) == .protocolError)
    }

    /// Found by `make fuzz` (fuzz/regressions/mqtt/connack-refused-with-session-present).
    @Test func refusedConnAckCannotHaveASession() throws {
        #expect(reason([0x20, 0x03, 0x01, 0x85, 0x00]) == .malformedPacket)
        #expect(reason([0x20, 0x02, 0x01, 0x02], version: .v3_1_1) == .malformedPacket)
        #expect(try decode([0x20, 0x03, 0x01, 0x00, 0x00]) == .connack(ConnAckPacket(sessionPresent: true)))
    }

    @Test func invalidFixedHeaderFlags() {
        #expect(reason([0x82, 0x04, 0, 1, 0, 0]) == .malformedPacket) // SUBSCRIBE flags must be 0010
        #expect(reason([0xC1, 0x00]) == .malformedPacket)
    }

    @Test func publishQoS3IsMalformed() {
        #expect(reason([0x36, 0x05, 0, 1, 0x61, 0, 1]) == .malformedPacket)
    }

    @Test func publishTopicWithWildcard() {
        #expect(reason([0x30, 0x04, 0, 1, 0x23, 0], version: .v5) == .topicNameInvalid)
    }

    @Test func invalidUTF8InTopic() {
        #expect(reason([0x30, 0x05, 0, 2, 0xC3, 0x28, 0], version: .v5) == .malformedPacket)
        #expect(reason([0x30, 0x04, 0, 1, 0x00, 0], version: .v5) == .malformedPacket) // U+0000
        // An encoded surrogate half (ED A0 80) is not well-formed UTF-8.
        #expect(reason([0x30, 0x04, 0, 3, 0xED, 0xA0, 0x80], version: .v3_1_1) == .malformedPacket)
    }

    @Test func packetTooLargeRefusedFromHeader() {
        // Remaining length 1000, only the header present: refused before the body arrives.
        #expect(reason([0x30, 0xE8, 0x07], maximum: 100) == .packetTooLarge)
    }

    @Test func nonMinimalAndOverlongLength() {
        #expect(reason([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == .malformedPacket)
    }

    @Test func duplicateProperty() {
        // PUBLISH a, qos0, properties: 0x02 expiry twice
        let bytes: [UInt8] = [0x30, 14, 0, 1, 0x61, 10, 0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 2]
        #expect(reason(bytes) == .protocolError)
    }

    @Test func propertyNotAllowedInPacket() {
        // PUBLISH with Session Expiry Interval
        let bytes: [UInt8] = [0x30, 9, 0, 1, 0x61, 5, 0x11, 0, 0, 0, 1]
        #expect(reason(bytes) == .protocolError)
    }

    @Test func subscribeWithoutFilters() {
        #expect(reason([0x82, 0x03, 0, 1, 0]) == .protocolError)
        #expect(reason([0x82, 0x02, 0, 1], version: .v3_1_1) == .protocolError)
    }

    @Test func subscribeReservedOptionBits() {
        #expect(reason([0x82, 0x06, 0, 1, 0, 1, 0x61, 0x04], version: .v3_1_1) == .malformedPacket)
        #expect(reason([0x82, 0x07, 0, 1, 0, 0, 1, 0x61, 0x30]) == .protocolError) // retain handling 3
    }

    @Test func packetIdentifierZero() {
        #expect(reason([0x40, 0x02, 0, 0]) == .malformedPacket)
    }

    @Test func trailingBytes() {
        #expect(reason([0xC0, 0x01, 0x00]) == .malformedPacket)
    }

    @Test func incompletePacketConsumesNothing() throws {
        var decoder = MQTTPacketDecoder(version: .v5)
        var buffer = ByteBuffer(bytes: [0x30, 0x05, 0, 1])
        #expect(try decoder.decode(from: &buffer) == nil)
        #expect(buffer.readableBytes == 4)
    }
}
