import MQTTBroker
import MQTTCore
import NIOCore

/// The bytes one Redis `PUBLISH` carries from one node to another: many messages, in the order the sending
/// node accepted them.
///
/// A version byte (`1`), then the messages as `BrokerMessage.write` puts them, one after another.
public enum ForwardFrame {
    static let version: UInt8 = 1

    /// An empty frame, ready for `append`.
    static func start(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 512)
        buffer.writeInteger(version)
        return buffer
    }

    /// Writes one message (`BrokerMessage.write`).
    static func append(_ message: BrokerMessage, now: NIODeadline, to buffer: inout ByteBuffer) {
        message.write(to: &buffer, now: now)
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
                messages.append(try BrokerMessage.read(from: &reader, now: now))
            } catch {
                throw ForwardFrameError(index: messages.count, reason: "\(error)")
            }
        }
        return messages
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
