import NIOCore

/// The NIO face of `MQTTPacketDecoder`: loops it over inbound bytes.
public struct MQTTByteToPacketDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = MQTTPacket

    public var decoder: MQTTPacketDecoder

    public init(decoder: MQTTPacketDecoder) {
        self.decoder = decoder
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> MQTTPacket? {
        try decoder.decode(from: &buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MQTTPacket? {
        try decode(buffer: &buffer)
    }
}
