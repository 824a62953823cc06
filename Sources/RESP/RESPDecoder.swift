import NIOCore

/// The RESP parser as a NIO decoder: wrap it in `ByteToMessageHandler`, or drive it with
/// `NIOSingleStepByteToMessageProcessor` inside a handler.
public struct RESPDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPValue

    private var parser: RESPParser

    public init(limits: RESPParser.Limits = RESPParser.Limits()) {
        parser = RESPParser(limits: limits)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        try parser.parse(&buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try parser.parse(&buffer)
    }
}
