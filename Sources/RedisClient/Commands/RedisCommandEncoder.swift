import NIOCore

/// Builds commands straight into RESP bytes, for a hot path that sends many of one shape (the backend's
/// stored messages): no argument array, no key string and no copy on the writer, and several commands
/// share one buffer.
///
/// The commands it makes are key-first (their key is the first argument), which is how a cluster routes them.
public struct RedisCommandEncoder {
    private var buffer: ByteBuffer
    /// Each command begun: its name and where its bytes start.
    private var starts: [(name: String, offset: Int)] = []

    public init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        starts.reserveCapacity(4)
    }

    /// Starts a command of `name` and `arguments` arguments, then `key` (`prefix` + `text`, one argument,
    /// counted in `arguments`): `*<n>\r\n$<len>\r\nNAME\r\n$<len>\r\nprefixtext\r\n`.
    public mutating func begin(_ name: String, arguments: Int, key prefix: String, _ text: String) {
        starts.append((name, buffer.writerIndex))
        buffer.writeRESPCommandHeader(words: arguments + 1)
        buffer.writeRESPBulk(RESPArgument(name))
        buffer.writeRESPBulk(prefix: prefix, text)
    }

    /// The next argument of the command begun.
    public mutating func argument(_ argument: RESPArgument) {
        buffer.writeRESPBulk(argument)
    }

    /// The commands written, in order, each a slice of this encoder's one buffer. Sliced only here, when
    /// all are written: a slice taken earlier would share the storage and make the next write copy it.
    public func commands() -> [RedisCommand] {
        starts.indices.map { index in
            let from = starts[index].offset
            let to = index + 1 < starts.count ? starts[index + 1].offset : buffer.writerIndex
            return RedisCommand(encoded: starts[index].name, buffer.getSlice(at: from, length: to - from) ?? ByteBuffer())
        }
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
