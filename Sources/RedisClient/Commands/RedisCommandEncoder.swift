import NIOCore

/// Builds commands straight into RESP bytes, for a hot path that sends many of one shape (the backend's
/// stored messages): no key string, one argument array for all its commands, no second encoding on the
/// writer, and the commands share one buffer.
///
/// The commands it makes are key-first (their key is the first argument), which is how a cluster routes them.
public struct RedisCommandEncoder {
    private var buffer: ByteBuffer
    /// Each command written: its name and where its bytes start.
    private var starts: [(name: String, offset: Int)] = []
    /// The command begun and not yet written: written whole, in one pass, when the next begins or at the end.
    private var current: (name: String, prefix: String, key: String)?
    private var arguments: [RESPArgument] = []

    public init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        starts.reserveCapacity(4)
        arguments.reserveCapacity(16)
    }

    /// Starts a command of `name` whose key, its first argument, is `prefix` + `text`. Only for commands a
    /// cluster routes by their first argument (not `EVAL`, `XREAD` and the like, nor keyless ones).
    public mutating func begin(_ name: String, key prefix: String, _ text: String) {
        writeCurrent()
        current = (name, prefix, text)
    }

    /// The next argument of the command begun.
    public mutating func argument(_ argument: RESPArgument) {
        precondition(current != nil, "an argument before any command was begun")
        arguments.append(argument)
    }

    /// The commands, in order, each a slice of this encoder's one buffer; the encoder is used up (taking
    /// them twice would send them twice). Sliced only here, when all are written: a slice taken earlier
    /// would share the storage and make the next write copy it.
    public consuming func commands() -> [RedisCommand] {
        writeCurrent()
        let buffer = self.buffer
        return starts.indices.map { index in
            let from = starts[index].offset
            let to = index + 1 < starts.count ? starts[index + 1].offset : buffer.writerIndex
            guard let bytes = buffer.getSlice(at: from, length: to - from) else {
                preconditionFailure("command \(index) lies outside the encoder's buffer")
            }
            return RedisCommand(encoded: starts[index].name, bytes)
        }
    }

    private mutating func writeCurrent() {
        guard let current else { return }
        starts.append((current.name, buffer.writerIndex))
        buffer.writeRESPCommand(current.name, keyPrefix: current.prefix, key: current.key, arguments)
        arguments.removeAll(keepingCapacity: true)
        self.current = nil
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
