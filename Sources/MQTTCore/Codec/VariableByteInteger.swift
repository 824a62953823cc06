import NIOCore

/// The variable byte integer of MQTT (§1.5.5): 7 bits per byte, at most 4 bytes, up to 268,435,455.
public enum VariableByteInteger {
    public static let maximum = 268_435_455

    /// The result of peeking at a variable byte integer without consuming it.
    public enum Peek: Equatable {
        case value(Int, byteCount: Int)
        case needMoreBytes
        case invalid
    }

    /// Reads the integer at `index` without moving the reader index.
    ///
    /// A bounded loop over absolute indexes: the 6.3.1 optimizer crashes on an unbounded loop that
    /// mutates an `inout ByteBuffer` (see the project's notes on SwiftPM).
    @inlinable
    public static func peek(_ buffer: ByteBuffer, at index: Int) -> Peek {
        var value = 0
        var multiplier = 1
        for offset in 0..<4 {
            guard let byte = buffer.getInteger(at: index + offset, as: UInt8.self) else {
                return .needMoreBytes
            }
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                // A value must use the fewest bytes: a trailing zero byte after the first is non-minimal.
                if offset > 0 && byte == 0 { return .invalid }
                return .value(value, byteCount: offset + 1)
            }
            multiplier *= 128
        }
        return .invalid
    }

    /// How many bytes `value` takes on the wire.
    @inlinable
    public static func size(of value: Int) -> Int {
        switch value {
        case ..<128: 1
        case ..<16_384: 2
        case ..<2_097_152: 3
        default: 4
        }
    }

    /// Appends `value`, which must be in `0...maximum` (a programmer error otherwise).
    @inlinable
    @discardableResult
    public static func write(_ value: Int, to buffer: inout ByteBuffer) -> Int {
        precondition(value >= 0 && value <= maximum, "variable byte integer out of range: \(value)")
        var remaining = value
        var written = 0
        repeat {
            var byte = UInt8(remaining & 0x7F)
            remaining >>= 7
            if remaining > 0 { byte |= 0x80 }
            buffer.writeInteger(byte)
            written += 1
        } while remaining > 0
        return written
    }
}
