import MQTTCore
import NIOCore

/// A message as bytes, for what leaves the process and comes back into another broker of the cluster:
/// frames between nodes, sessions handed over. Length-prefixed and binary (a payload is any bytes).
///
/// Layout, big-endian: flags (bits 0–1 QoS, 2 retain, 3 publisher, 4 properties, 5 expiry), topic (u16
/// length), publisher (u16 length), message id (u8 length), timestamp in ms (i64), the expiry still to run
/// in ms (u32), the 5.0 properties as MQTT encodes them, payload (u32 length). A field whose flag is clear
/// is absent.
extension BrokerMessage {
    /// Writes the message; `now` counts its expiry down the way a PUBLISH's Message Expiry Interval does.
    public func write(to buffer: inout ByteBuffer, now: NIODeadline) {
        var flags = qos.rawValue & 0b11
        if retain { flags |= 1 << 2 }
        if publisher != nil { flags |= 1 << 3 }
        if properties != nil { flags |= 1 << 4 }
        if expiresAt != nil { flags |= 1 << 5 }
        buffer.writeInteger(flags)
        buffer.writeMQTTString(topic)
        if let publisher { buffer.writeMQTTString(publisher) }
        let text = id.description
        buffer.writeInteger(UInt8(clamping: text.utf8.count))
        buffer.writeBytes(text.utf8.prefix(255))
        buffer.writeInteger(timestampMillis)
        if let expiresAt {
            buffer.writeInteger(UInt32(clamping: max(0, (expiresAt - now).nanoseconds / 1_000_000)))
        }
        properties?.write(to: &buffer)
        buffer.writeInteger(UInt32(payload.readableBytes))
        buffer.writeImmutableBuffer(payload)
    }

    /// Reads one message written by `write`; its expiry clock starts again at `now`. Throws what is wrong,
    /// naming the field.
    public static func read(from reader: inout PacketReader, now: NIODeadline) throws -> BrokerMessage {
        let flags = try reader.readByte("flags")
        guard let qos = QoS(rawValue: flags & 0b11) else { throw WireError("QoS 3") }
        guard flags >> 6 == 0 else { throw WireError("unknown flags 0x\(String(flags, radix: 16))") }
        let topic = try reader.readString("topic")
        let publisher = flags & (1 << 3) != 0 ? try reader.readString("publisher") : nil
        let idLength = Int(try reader.readByte("id length"))
        var idReader = try reader.readSlice(length: idLength, "id")
        guard let id = String(validating: idReader.readRest().readableBytesView, as: UTF8.self) else {
            throw WireError("id is not UTF-8")
        }
        let high = UInt64(try reader.readUInt32("timestamp"))
        let low = UInt64(try reader.readUInt32("timestamp"))
        var expiresAt: NIODeadline?
        if flags & (1 << 5) != 0 {
            expiresAt = now + .milliseconds(Int64(try reader.readUInt32("expiry")))
        }
        let properties = flags & (1 << 4) != 0 ? try reader.readProperties(.publish) : nil
        let length = Int(try reader.readUInt32("payload length"))
        var payloadReader = try reader.readSlice(length: length, "payload")
        return BrokerMessage(id: MessageID(id), topic: topic, payload: payloadReader.readRest(), qos: qos,
                             retain: flags & (1 << 2) != 0, publisher: publisher, properties: properties,
                             expiresAt: expiresAt, timestampMillis: Int64(bitPattern: high << 32 | low))
    }
}

/// A field of a message or session in bytes that is wrong.
public struct WireError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
