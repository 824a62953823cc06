import MQTTBroker
import MQTTCore
import NIOCore

/// The bytes one Redis `PUBLISH` carries from one node to another: many messages, in the order the sending
/// node accepted them.
///
/// Binary and length-prefixed (a payload is any bytes, a topic any UTF-8 but U+0000). Layout, big-endian:
/// version `1`, then per message: flags (bits 0–1 QoS, 2 retain, 3 publisher, 4 properties, 5 expiry),
/// topic (u16 length), publisher (u16 length), message id (u8 length), timestamp in ms (i64), the expiry
/// still to run in ms (u32), the 5.0 properties as MQTT encodes them, payload (u32 length). A field whose
/// flag is clear is absent.
public enum ForwardFrame {
    static let version: UInt8 = 1

    /// An empty frame, ready for `append`.
    static func start(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 512)
        buffer.writeInteger(version)
        return buffer
    }

    /// Writes one message; `now` counts down its expiry the way a PUBLISH's Message Expiry Interval does.
    static func append(_ message: BrokerMessage, now: NIODeadline, to buffer: inout ByteBuffer) {
        var flags = message.qos.rawValue & 0b11
        if message.retain { flags |= 1 << 2 }
        if message.publisher != nil { flags |= 1 << 3 }
        if message.properties != nil { flags |= 1 << 4 }
        if message.expiresAt != nil { flags |= 1 << 5 }
        buffer.writeInteger(flags)
        buffer.writeMQTTString(message.topic)
        if let publisher = message.publisher { buffer.writeMQTTString(publisher) }
        let id = message.id.description
        buffer.writeInteger(UInt8(clamping: id.utf8.count))
        buffer.writeBytes(id.utf8.prefix(255))
        buffer.writeInteger(message.timestampMillis)
        if let expiresAt = message.expiresAt {
            let remaining = max(0, (expiresAt - now).nanoseconds / 1_000_000)
            buffer.writeInteger(UInt32(clamping: remaining))
        }
        message.properties?.write(to: &buffer)
        buffer.writeInteger(UInt32(message.payload.readableBytes))
        buffer.writeImmutableBuffer(message.payload)
    }

    /// A whole frame of `messages` (tests, one-off sends).
    public static func encode(_ messages: [BrokerMessage], now: NIODeadline = .now()) -> ByteBuffer {
        var buffer = start()
        for message in messages { append(message, now: now, to: &buffer) }
        return buffer
    }

    /// The messages of a frame; `now` starts their expiry clocks again here. Throws `ForwardFrameError`
    /// naming the message index and field that is wrong: a frame is taken whole or not at all.
    public static func decode(_ frame: ByteBuffer, now: NIODeadline = .now()) throws(ForwardFrameError) -> [BrokerMessage] {
        var reader = PacketReader(body: frame, packetType: .publish)
        var messages: [BrokerMessage] = []
        do {
            let version = try reader.readByte("version")
            guard version == Self.version else { throw ForwardFrameError(index: nil, reason: "version \(version), expected \(Self.version)") }
        } catch let error as ForwardFrameError {
            throw error
        } catch {
            throw ForwardFrameError(index: nil, reason: "\(error)")
        }
        while !reader.isAtEnd {
            do {
                messages.append(try readMessage(&reader, now: now))
            } catch {
                throw ForwardFrameError(index: messages.count, reason: "\(error)")
            }
        }
        return messages
    }

    private static func readMessage(_ reader: inout PacketReader, now: NIODeadline) throws -> BrokerMessage {
        let flags = try reader.readByte("flags")
        guard let qos = QoS(rawValue: flags & 0b11) else { throw FieldError("QoS 3") }
        guard flags >> 6 == 0 else { throw FieldError("unknown flags 0x\(String(flags, radix: 16))") }
        let topic = try reader.readString("topic")
        let publisher = flags & (1 << 3) != 0 ? try reader.readString("publisher") : nil
        let idLength = Int(try reader.readByte("id length"))
        var idReader = try reader.readSlice(length: idLength, "id")
        guard let id = String(bytes: idReader.readRest().readableBytesView, encoding: .utf8) else {
            throw FieldError("id is not UTF-8")
        }
        let high = UInt64(try reader.readUInt32("timestamp"))
        let low = UInt64(try reader.readUInt32("timestamp"))
        let timestamp = Int64(bitPattern: high << 32 | low)
        var expiresAt: NIODeadline?
        if flags & (1 << 5) != 0 {
            expiresAt = now + .milliseconds(Int64(try reader.readUInt32("expiry")))
        }
        let properties = flags & (1 << 4) != 0 ? try reader.readProperties(.publish) : nil
        let length = Int(try reader.readUInt32("payload length"))
        var payloadReader = try reader.readSlice(length: length, "payload")
        return BrokerMessage(id: MessageID(id), topic: topic, payload: payloadReader.readRest(), qos: qos,
                             retain: flags & (1 << 2) != 0, publisher: publisher, properties: properties,
                             expiresAt: expiresAt, timestampMillis: timestamp)
    }

    private struct FieldError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A frame that could not be read, with the message it broke at (nil: the frame's header).
public struct ForwardFrameError: Error, CustomStringConvertible {
    public let index: Int?
    public let reason: String

    public var description: String {
        index.map { "message \($0): \(reason)" } ?? "frame header: \(reason)"
    }
}
