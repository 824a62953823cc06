import NIOCore

/// Builds commands straight into RESP bytes, for a hot path that sends many of one shape (the backend's
/// stored messages): no argument array, no key string and no copy on the writer, and several commands
/// share one buffer.
///
/// The commands it makes are key-first (their key is the first argument), which is how a cluster routes them.
public struct RedisCommandEncoder {
    private var buffer: ByteBuffer
    private var name = ""

    public init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Starts a command of `name` and `arguments` arguments, then `key` (`prefix` + `text`, one argument,
    /// counted in `arguments`): `*<n>\r\n$<len>\r\nNAME\r\n$<len>\r\nprefixtext\r\n`.
    public mutating func begin(_ name: String, arguments: Int, key prefix: String, _ text: String) {
        self.name = name
        buffer.writeRESPHeader(UInt8(ascii: "*"), arguments + 1)
        buffer.writeRESPArgument(RESPArgument(name))
        buffer.writeRESPHeader(UInt8(ascii: "$"), prefix.utf8.count + text.utf8.count)
        buffer.writeString(prefix)
        buffer.writeString(text)
        buffer.writeCRLF()
    }

    /// The next argument of the command begun.
    public mutating func argument(_ argument: RESPArgument) {
        buffer.writeRESPArgument(argument)
    }

    /// The command written since `begin`, sharing this encoder's storage.
    public mutating func end() -> RedisCommand {
        RedisCommand(encoded: name, buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer())
    }
}

extension RedisCommand {
    /// A command already in RESP (from `RedisCommandEncoder`): written as it is.
    init(encoded name: String, _ bytes: ByteBuffer) {
        self.init(name, [])
        encoded = bytes
    }

    /// The key of an encoded command: its second bulk string, after `*<n>\r\n` and the name.
    var encodedKey: RESPArgument? {
        guard var bytes = encoded else { return nil }
        /// `<type><digits>\r\n`.
        func readHeader() -> Int? {
            guard bytes.readInteger(as: UInt8.self) != nil else { return nil }
            var value = 0
            while let byte = bytes.readInteger(as: UInt8.self) {
                if byte == 0x0D { return bytes.readInteger(as: UInt8.self) == 0x0A ? value : nil }
                guard (0x30...0x39).contains(byte), value < 1 << 40 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return nil
        }
        guard readHeader() != nil, let nameLength = readHeader(), bytes.readSlice(length: nameLength + 2) != nil,
              let keyLength = readHeader(), let key = bytes.readSlice(length: keyLength) else { return nil }
        return RESPArgument(key)
    }
}
