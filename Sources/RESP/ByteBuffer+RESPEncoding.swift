import NIOCore

/// Writing commands and values in RESP, straight into the outbound buffer.
extension ByteBuffer {
    /// Writes a command as an array of bulk strings: `*<1+n>\r\n$<len>\r\nNAME\r\n...`.
    ///
    /// No intermediate `String` or array is built: numbers are written digit by digit, strings and buffers are
    /// copied once. See https://redis.io/docs/latest/develop/reference/protocol-spec/#sending-commands-to-a-redis-server
    @discardableResult
    public mutating func writeRESPCommand(_ name: String, _ arguments: [RESPArgument]) -> Int {
        writeRESPCommand(name, key: nil, arguments)
    }

    /// The same with a key first, `keyPrefix` + `key` joined only in the bytes (a key from its prefix,
    /// without a string made for it).
    @discardableResult
    public mutating func writeRESPCommand(_ name: String, keyPrefix: String, key: String,
                                          _ arguments: [RESPArgument]) -> Int {
        writeRESPCommand(name, key: (keyPrefix, key), arguments)
    }

    private mutating func writeRESPCommand(_ name: String, key: (prefix: String, text: String)?,
                                           _ arguments: [RESPArgument]) -> Int {
        // Fast path: size the command exactly, then copy everything in one pass over raw memory.
        let words = arguments.count + (key == nil ? 1 : 2)
        var size = Self.headerSize(words) + Self.bulkSize(name.utf8.count)
        if let key { size += Self.bulkSize(key.prefix.utf8.count + key.text.utf8.count) }
        for argument in arguments {
            guard let length = argument.exactPayloadLength else { return writeRESPCommandSlowly(name, key, arguments) }
            size += Self.bulkSize(length)
        }
        return writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            guard let base = raw.baseAddress else { return 0 }
            var offset = Self.put(header: UInt8(ascii: "*"), Int64(words), into: base, at: 0)
            offset = Self.put(bulk: name, into: base, at: offset)
            if let key { offset = Self.put(bulk: key.prefix, key.text, into: base, at: offset) }
            for argument in arguments {
                offset = Self.put(argument, into: base, at: offset)
            }
            return offset
        }
    }

    private mutating func writeRESPCommandSlowly(_ name: String, _ key: (prefix: String, text: String)?,
                                                 _ arguments: [RESPArgument]) -> Int {
        let start = writerIndex
        writeRESPHeader(UInt8(ascii: "*"), arguments.count + (key == nil ? 1 : 2))
        writeRESPHeader(UInt8(ascii: "$"), name.utf8.count)
        writeString(name)
        writeCRLF()
        if let key {
            writeRESPHeader(UInt8(ascii: "$"), key.prefix.utf8.count + key.text.utf8.count)
            writeString(key.prefix)
            writeString(key.text)
            writeCRLF()
        }
        for argument in arguments {
            writeRESPArgument(argument)
        }
        return writerIndex - start
    }

    // MARK: - Raw writing

    /// `*<count>\r\n` / `$<length>\r\n`.
    static func headerSize(_ count: Int) -> Int {
        1 + decimalLength(Int64(count)) + 2
    }

    /// `$<length>\r\n<payload>\r\n`.
    static func bulkSize(_ length: Int) -> Int {
        headerSize(length) + length + 2
    }

    private static func put(header type: UInt8, _ value: Int64, into base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        base.storeBytes(of: type, toByteOffset: offset, as: UInt8.self)
        let next = put(decimal: value, into: base, at: offset + 1)
        return put(crlf: base, at: next)
    }

    private static func put(crlf base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        base.storeBytes(of: 0x0D, toByteOffset: offset, as: UInt8.self)
        base.storeBytes(of: 0x0A, toByteOffset: offset + 1, as: UInt8.self)
        return offset + 2
    }

    private static func put(decimal value: Int64, into base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        let length = decimalLength(value)
        var magnitude = value.magnitude
        var position = offset + length - 1
        repeat {
            base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10), toByteOffset: position,
                            as: UInt8.self)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        if value < 0 { base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: offset, as: UInt8.self) }
        return offset + length
    }

    private static func put(bytes source: UnsafeRawBufferPointer, into base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        if let from = source.baseAddress, source.count > 0 {
            (base + offset).copyMemory(from: from, byteCount: source.count)
        }
        return offset + source.count
    }

    private static func put(bulk text: String, into base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        var text = text
        let count = text.utf8.count
        var next = put(header: UInt8(ascii: "$"), Int64(count), into: base, at: offset)
        next = text.withUTF8 { put(bytes: UnsafeRawBufferPointer($0), into: base, at: next) }
        return put(crlf: base, at: next)
    }

    /// `prefix` + `text` as one bulk string.
    private static func put(bulk prefix: String, _ text: String, into base: UnsafeMutableRawPointer,
                            at offset: Int) -> Int {
        var prefix = prefix
        var text = text
        var next = put(header: UInt8(ascii: "$"), Int64(prefix.utf8.count + text.utf8.count), into: base, at: offset)
        next = prefix.withUTF8 { put(bytes: UnsafeRawBufferPointer($0), into: base, at: next) }
        next = text.withUTF8 { put(bytes: UnsafeRawBufferPointer($0), into: base, at: next) }
        return put(crlf: base, at: next)
    }

    private static func put(_ argument: RESPArgument, into base: UnsafeMutableRawPointer, at offset: Int) -> Int {
        switch argument.storage {
        case .string(let text):
            return put(bulk: text, into: base, at: offset)
        case .bytes(let bytes):
            var next = put(header: UInt8(ascii: "$"), Int64(bytes.readableBytes), into: base, at: offset)
            next = bytes.withUnsafeReadableBytes { put(bytes: $0, into: base, at: next) }
            return put(crlf: base, at: next)
        case .byteArray(let bytes):
            var next = put(header: UInt8(ascii: "$"), Int64(bytes.count), into: base, at: offset)
            next = bytes.withUnsafeBytes { put(bytes: $0, into: base, at: next) }
            return put(crlf: base, at: next)
        case .integer(let value):
            let next = put(header: UInt8(ascii: "$"), Int64(decimalLength(value)), into: base, at: offset)
            return put(crlf: base, at: put(decimal: value, into: base, at: next))
        case .double:
            // Never reached: doubles take the slow path (their text is not sized in advance).
            return offset
        }
    }

    /// Writes a command whose name and arguments are all in `words` (the first is the name).
    @discardableResult
    public mutating func writeRESPCommand(_ words: [RESPArgument]) -> Int {
        let start = writerIndex
        writeRESPHeader(UInt8(ascii: "*"), words.count)
        for word in words {
            writeRESPArgument(word)
        }
        return writerIndex - start
    }

    /// Writes one argument as a bulk string.
    public mutating func writeRESPArgument(_ argument: RESPArgument) {
        switch argument.storage {
        case .string(let text):
            writeRESPHeader(UInt8(ascii: "$"), text.utf8.count)
            writeString(text)
        case .bytes(let bytes):
            writeRESPHeader(UInt8(ascii: "$"), bytes.readableBytes)
            writeImmutableBuffer(bytes)
        case .byteArray(let bytes):
            writeRESPHeader(UInt8(ascii: "$"), bytes.count)
            writeBytes(bytes)
        case .integer(let value):
            writeRESPHeader(UInt8(ascii: "$"), Self.decimalLength(value))
            writeDecimal(value)
        case .double(let value):
            let text = Self.redisText(value)
            writeRESPHeader(UInt8(ascii: "$"), text.utf8.count)
            writeString(text)
        }
        writeCRLF()
    }

    /// The payload of an argument without framing.
    mutating func writeArgumentPayload(_ argument: RESPArgument) {
        switch argument.storage {
        case .string(let text): writeString(text)
        case .bytes(let bytes): writeImmutableBuffer(bytes)
        case .byteArray(let bytes): writeBytes(bytes)
        case .integer(let value): writeDecimal(value)
        case .double(let value): writeString(Self.redisText(value))
        }
    }

    static func redisText(_ value: Double) -> String {
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return value.description
    }

    /// Writes any value in RESP3 (RESP2 for the types it has). Used by tests and fake servers.
    public mutating func writeRESPValue(_ value: RESPValue) {
        switch value {
        case .simpleString(let text):
            writeInteger(UInt8(ascii: "+"))
            writeString(text)
            writeCRLF()
        case .error(let error) where error.message.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }):
            // A simple error cannot hold a line end; a blob error (as the server sent it) can.
            writeRESPHeader(UInt8(ascii: "!"), error.message.utf8.count)
            writeString(error.message)
            writeCRLF()
        case .error(let error):
            writeInteger(UInt8(ascii: "-"))
            writeString(error.message)
            writeCRLF()
        case .integer(let number):
            writeInteger(UInt8(ascii: ":"))
            writeDecimal(number)
            writeCRLF()
        case .bulkString(let bytes):
            writeRESPHeader(UInt8(ascii: "$"), bytes.readableBytes)
            writeImmutableBuffer(bytes)
            writeCRLF()
        case .null:
            writeInteger(UInt8(ascii: "_"))
            writeCRLF()
        case .array(let values):
            writeAggregate(UInt8(ascii: "*"), values)
        case .set(let values):
            writeAggregate(UInt8(ascii: "~"), values)
        case .push(let values):
            writeAggregate(UInt8(ascii: ">"), values)
        case .map(let map):
            writeMap(UInt8(ascii: "%"), map)
        case .double(let number):
            writeInteger(UInt8(ascii: ","))
            writeString(number.isNaN ? "nan" : Self.redisText(number))
            writeCRLF()
        case .boolean(let flag):
            writeInteger(UInt8(ascii: "#"))
            writeInteger(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            writeCRLF()
        case .bigNumber(let digits):
            writeInteger(UInt8(ascii: "("))
            writeString(digits)
            writeCRLF()
        case .verbatim(let format, let text):
            writeRESPHeader(UInt8(ascii: "="), format.utf8.count + 1 + text.readableBytes)
            writeString(format)
            writeInteger(UInt8(ascii: ":"))
            writeImmutableBuffer(text)
            writeCRLF()
        case .attribute(let attributes, let annotated):
            writeMap(UInt8(ascii: "|"), attributes)
            writeRESPValue(annotated)
        }
    }

    private mutating func writeAggregate(_ type: UInt8, _ values: [RESPValue]) {
        writeRESPHeader(type, values.count)
        for element in values { writeRESPValue(element) }
    }

    private mutating func writeMap(_ type: UInt8, _ map: RESPMap) {
        writeRESPHeader(type, map.entries.count)
        for entry in map.entries {
            writeRESPValue(entry.key)
            writeRESPValue(entry.value)
        }
    }

    /// `<type><count>\r\n`.
    mutating func writeRESPHeader(_ type: UInt8, _ count: Int) {
        writeInteger(type)
        writeDecimal(Int64(count))
        writeCRLF()
    }

    mutating func writeCRLF() {
        writeInteger(UInt16(0x0D0A))
    }

    /// Writes the decimal digits of `value` without allocating.
    mutating func writeDecimal(_ value: Int64) {
        let length = Self.decimalLength(value)
        reserveCapacity(minimumWritableBytes: length)
        var magnitude = value.magnitude
        var position = writerIndex + length - 1
        repeat {
            setInteger(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10), at: position)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        if value < 0 { setInteger(UInt8(ascii: "-"), at: writerIndex) }
        moveWriterIndex(forwardBy: length)
    }

    /// The number of characters of `value` in decimal, sign included.
    static func decimalLength(_ value: Int64) -> Int {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            length += 1
        }
        return length
    }
}
