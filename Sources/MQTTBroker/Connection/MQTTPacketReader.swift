import MQTTCore
import NIOCore

/// Bytes in, packets out, for one connection, holding nothing between reads unless a packet is cut in
/// two: an idle connection keeps no buffer here. A value inside the connection's handler rather than a
/// pipeline stage of its own (NIO's `ByteToMessageHandler` plus a byte counter cost every connection two
/// handler contexts, a queue and a buffer list: about 0.8 kB).
struct MQTTPacketReader {
    private var decoder: MQTTPacketDecoder
    /// The start of a packet whose rest has not arrived.
    private var partial: ByteBuffer?
    /// A packet failed to decode: the connection is ending, later bytes are not read.
    private(set) var failed = false

    init(decoder: MQTTPacketDecoder) {
        self.decoder = decoder
    }

    /// `bytes` after what an earlier read left over.
    mutating func joining(_ bytes: ByteBuffer) -> ByteBuffer {
        guard var earlier = partial.take() else { return bytes }
        var bytes = bytes
        earlier.writeBuffer(&bytes)
        return earlier
    }

    /// The next whole packet in `buffer`, or nil when the rest is incomplete.
    mutating func next(from buffer: inout ByteBuffer) throws -> MQTTPacket? {
        do {
            return try decoder.decode(from: &buffer)
        } catch {
            failed = true
            throw error
        }
    }

    /// Keeps what is left of `buffer` for the next read. A few bytes of a packet must not pin the whole
    /// read buffer (up to 64 kB): they are copied when they are a small part of it, so the channel can
    /// reuse its buffer for the next read.
    mutating func keep(_ buffer: ByteBuffer, allocator: ByteBufferAllocator) {
        guard buffer.readableBytes > 0 else { return }
        if buffer.readableBytes * 4 < buffer.capacity {
            var rest = buffer
            var copy = allocator.buffer(capacity: rest.readableBytes)
            copy.writeBuffer(&rest)
            partial = copy
        } else {
            partial = buffer
        }
    }
}
