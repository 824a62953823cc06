@testable import MQTTBroker
import MQTTCore
import NIOCore
import Testing

/// The connection's packet reader: packets cut anywhere by TCP come out whole and in order, and after
/// a malformed packet nothing more is read.
@Suite struct PacketReaderTests {
    static let packets: [MQTTPacket] = [
        .connect(ConnectPacket(version: .v5, clientID: "reader-test")),
        .publish(PublishPacket(topic: "a/b", payload: ByteBuffer(string: String(repeating: "x", count: 300)),
                               qos: .atLeastOnce, packetID: 7)),
        .pingreq,
        .subscribe(SubscribePacket(packetID: 8, subscriptions: [SubscriptionRequest(filter: "c/#", qos: .atMostOnce)])),
        .publish(PublishPacket(topic: "d", payload: ByteBuffer(string: "tail"))),
    ]

    static var encoded: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 512)
        for packet in packets { packet.write(version: .v5, to: &buffer) }
        return buffer
    }

    /// Feeds `reads` one after another, as a channel would, and collects the packets.
    static func read(_ reads: [ByteBuffer]) throws -> [MQTTPacket] {
        var reader = MQTTPacketReader(decoder: MQTTPacketDecoder())
        var packets: [MQTTPacket] = []
        for bytes in reads {
            var buffer = reader.joining(bytes)
            while let packet = try reader.next(from: &buffer) { packets.append(packet) }
            reader.keep(buffer, allocator: ByteBufferAllocator())
        }
        return packets
    }

    @Test func everySplitPointGivesTheSamePackets() throws {
        let bytes = Self.encoded
        for cut in 0...bytes.readableBytes {
            let first = bytes.getSlice(at: 0, length: cut) ?? ByteBuffer()
            let second = bytes.getSlice(at: cut, length: bytes.readableBytes - cut) ?? ByteBuffer()
            #expect(try Self.read([first, second]) == Self.packets, "cut at \(cut)")
        }
    }

    @Test func oneByteAtATime() throws {
        let bytes = Self.encoded
        let reads = (0..<bytes.readableBytes).compactMap { bytes.getSlice(at: $0, length: 1) }
        #expect(try Self.read(reads) == Self.packets)
    }

    @Test func aMalformedPacketStopsTheReader() throws {
        var reader = MQTTPacketReader(decoder: MQTTPacketDecoder())
        var bytes = Self.encoded
        bytes.writeBytes([0x00, 0x00])   // packet type 0 is reserved
        var buffer = reader.joining(bytes)
        var decoded = 0
        #expect(throws: MQTTProtocolError.self) {
            while try reader.next(from: &buffer) != nil { decoded += 1 }
        }
        #expect(decoded == Self.packets.count)
        #expect(reader.failed)
    }
}
