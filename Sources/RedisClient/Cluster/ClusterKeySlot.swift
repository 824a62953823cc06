import NIOCore

/// Which of the 16384 hash slots a key belongs to: CRC16 (XMODEM) of the key, or of its `{hash tag}`.
///
/// See https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#key-distribution-model
public enum ClusterKeySlot {
    public static let count = 16384

    /// The slot of `key`.
    public static func slot(of key: String) -> Int {
        var key = key
        return key.withUTF8 { slot(of: UnsafeRawBufferPointer($0)) }
    }

    /// The slot of a binary key.
    public static func slot(of key: ByteBuffer) -> Int {
        key.withUnsafeReadableBytes { slot(of: $0) }
    }

    /// The slot of a command argument used as key.
    public static func slot(of key: RESPArgument) -> Int {
        slot(of: key.bytes)
    }

    static func slot(of bytes: UnsafeRawBufferPointer) -> Int {
        // Only the part between the first '{' and the next '}' counts, if that part is not empty.
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
           let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            return Int(crc16(UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<close]))) % count
        }
        return Int(crc16(bytes)) % count
    }

    /// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0.
    public static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
