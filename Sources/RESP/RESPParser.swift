import NIOCore

/// An incremental RESP2/RESP3 parser: feed it bytes as they arrive, take values out as they complete.
///
/// Aggregates are built on an explicit stack, so a reply that arrives in many reads is never re-parsed from its
/// start and hostile nesting cannot overflow the call stack. The parser consumes bytes of finished elements and
/// leaves an unfinished element unread; feed it the same buffer (or its continuation) next time.
public struct RESPParser: Sendable {
    private enum Container: Sendable {
        case array, set, push, map, attribute
        /// The value following an attribute map; the map is attached to it.
        case annotated(RESPMap)
    }

    private struct Frame: Sendable {
        var container: Container
        /// Elements still expected; `-1` for a streamed aggregate, which ends at `.`.
        var remaining: Int
        var items: [RESPValue]
    }

    private enum Step {
        case needMoreData
        case progress
        case value(RESPValue)
        case endOfAggregate
    }

    public let limits: Limits
    private var stack: [Frame] = []
    /// The chunks of a streamed string (`$?`) so far.
    private var streamedString: ByteBuffer?
    /// Bytes after the reader index already searched for a line feed.
    private var scannedLineBytes = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Whether the parser is in the middle of a value.
    public var isMidValue: Bool { !stack.isEmpty || streamedString != nil }

    /// Parses the next complete value, consuming its bytes; returns `nil` when more bytes are needed.
    public mutating func parse(_ buffer: inout ByteBuffer) throws(RESPProtocolError) -> RESPValue? {
        // Work on a copy: only finished elements are consumed, and the optimizer stays away from `inout` loops.
        var input = buffer
        var result: RESPValue?
        var more = true
        while more {
            switch try step(&input) {
            case .needMoreData:
                more = false
            case .progress:
                break
            case .value(let value):
                result = deliver(value)
                more = result == nil
            case .endOfAggregate:
                result = try closeStreamedAggregate(at: input.readerIndex)
                more = result == nil
            }
        }
        buffer = input
        return result
    }

    // MARK: - Elements

    private mutating func step(_ input: inout ByteBuffer) throws(RESPProtocolError) -> Step {
        let start = input.readerIndex
        guard let type = input.getInteger(at: start, as: UInt8.self) else { return .needMoreData }
        if streamedString != nil { return try streamedChunk(&input, type: type, start: start) }
        guard Self.isTypeByte(type) else { throw RESPProtocolError(.invalidTypeByte(type), at: start) }
        guard let line = try findLine(input, start: start) else { return .needMoreData }
        switch type {
        case UInt8(ascii: "+"):
            return consume(&input, upTo: line.next, .simpleString(text(input, line)))
        case UInt8(ascii: "-"):
            return consume(&input, upTo: line.next, .error(RESPError(message: text(input, line))))
        case UInt8(ascii: ":"):
            return consume(&input, upTo: line.next, .integer(try integer(input, line)))
        case UInt8(ascii: ","):
            return consume(&input, upTo: line.next, .double(try double(input, line)))
        case UInt8(ascii: "#"):
            return consume(&input, upTo: line.next, .boolean(try boolean(input, line)))
        case UInt8(ascii: "("):
            return consume(&input, upTo: line.next, .bigNumber(try bigNumber(input, line)))
        case UInt8(ascii: "_"):
            guard line.length == 0 else { throw RESPProtocolError(.invalidNullLine, at: start) }
            return consume(&input, upTo: line.next, .null)
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            return try blob(&input, type: type, line: line)
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
            return try aggregate(&input, type: type, line: line)
        case UInt8(ascii: "."):
            guard line.length == 0 else { throw RESPProtocolError(.invalidNullLine, at: start) }
            input.moveReaderIndex(to: line.next)
            return .endOfAggregate
        default:
            throw RESPProtocolError(.invalidTypeByte(type), at: start)
        }
    }

    private static func isTypeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "#"),
             UInt8(ascii: "("), UInt8(ascii: "_"), UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="),
             UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"),
             UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private mutating func consume(_ input: inout ByteBuffer, upTo index: Int, _ value: RESPValue) -> Step {
        input.moveReaderIndex(to: index)
        return .value(value)
    }

    /// `$len`, `!len`, `=len` and the streamed `$?`.
    private mutating func blob(_ input: inout ByteBuffer, type: UInt8, line: Line) throws(RESPProtocolError) -> Step {
        if type == UInt8(ascii: "$"), isQuestionMark(input, line) {
            streamedString = ByteBuffer()
            input.moveReaderIndex(to: line.next)
            return .progress
        }
        let length = try integer(input, line)
        if length == -1, type == UInt8(ascii: "$") { return consume(&input, upTo: line.next, .null) }
        guard length >= 0 else { throw RESPProtocolError(.invalidLength(length), at: line.start) }
        guard length <= limits.maxBulkLength else { throw RESPProtocolError(.tooLarge(length), at: line.start) }
        let size = Int(length)
        guard input.writerIndex - line.next >= size + 2 else { return .needMoreData }
        guard input.getInteger(at: line.next + size, as: UInt16.self) == 0x0D0A else {
            throw RESPProtocolError(.missingCRLF, at: line.next + size)
        }
        let payload = input.getSlice(at: line.next, length: size) ?? ByteBuffer()
        let value: RESPValue
        switch type {
        case UInt8(ascii: "!"):
            value = .error(RESPError(message: String(buffer: payload)))
        case UInt8(ascii: "="):
            // The format is three ASCII letters (`txt`, `mkd`); other bytes could not be written back as read.
            guard size >= 4, payload.getInteger(at: payload.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":"),
                  payload.getBytes(at: payload.readerIndex, length: 3)?.allSatisfy({ $0 < 0x80 }) == true,
                  let format = payload.getString(at: payload.readerIndex, length: 3),
                  let text = payload.getSlice(at: payload.readerIndex + 4, length: size - 4)
            else { throw RESPProtocolError(.invalidVerbatim, at: line.start) }
            value = .verbatim(format: format, text: text)
        default:
            value = .bulkString(payload)
        }
        return consume(&input, upTo: line.next + size + 2, value)
    }

    /// One `;len` chunk of a streamed string; `;0` ends it.
    private mutating func streamedChunk(_ input: inout ByteBuffer, type: UInt8, start: Int)
        throws(RESPProtocolError) -> Step {
        guard type == UInt8(ascii: ";") else { throw RESPProtocolError(.unexpectedChunk, at: start) }
        guard let line = try findLine(input, start: start), var collected = streamedString else { return .needMoreData }
        let length = try integer(input, line)
        guard length >= 0 else { throw RESPProtocolError(.invalidLength(length), at: start) }
        guard length <= limits.maxBulkLength - collected.readableBytes else {
            throw RESPProtocolError(.tooLarge(length), at: start)
        }
        if length == 0 {
            streamedString = nil
            return consume(&input, upTo: line.next, .bulkString(collected))
        }
        let size = Int(length)
        guard input.writerIndex - line.next >= size + 2 else { return .needMoreData }
        guard input.getInteger(at: line.next + size, as: UInt16.self) == 0x0D0A else {
            throw RESPProtocolError(.missingCRLF, at: line.next + size)
        }
        if var chunk = input.getSlice(at: line.next, length: size) { collected.writeBuffer(&chunk) }
        streamedString = collected
        input.moveReaderIndex(to: line.next + size + 2)
        return .progress
    }

    /// `*n`, `~n`, `>n`, `%n`, `|n`, and their streamed `?` forms.
    private mutating func aggregate(_ input: inout ByteBuffer, type: UInt8, line: Line)
        throws(RESPProtocolError) -> Step {
        let container: Container
        switch type {
        case UInt8(ascii: "~"): container = .set
        case UInt8(ascii: ">"): container = .push
        case UInt8(ascii: "%"): container = .map
        case UInt8(ascii: "|"): container = .attribute
        default: container = .array
        }
        guard stack.count < limits.maxDepth else { throw RESPProtocolError(.tooDeep(limits.maxDepth), at: line.start) }
        if isQuestionMark(input, line) {
            stack.append(Frame(container: container, remaining: -1, items: []))
            input.moveReaderIndex(to: line.next)
            return .progress
        }
        let count = try integer(input, line)
        if count == -1, type == UInt8(ascii: "*") { return consume(&input, upTo: line.next, .null) }
        guard count >= 0, count <= Int64(Int32.max) else { throw RESPProtocolError(.invalidLength(count), at: line.start) }
        var elements = Int(count)
        if case .map = container { elements *= 2 }
        if case .attribute = container { elements *= 2 }
        input.moveReaderIndex(to: line.next)
        guard elements > 0 else {
            guard let value = close(Frame(container: container, remaining: 0, items: [])) else { return .progress }
            return .value(value)
        }
        var items: [RESPValue] = []
        items.reserveCapacity(min(elements, 1024))
        stack.append(Frame(container: container, remaining: elements, items: items))
        return .progress
    }

    // MARK: - Aggregates

    /// Adds a finished value to the innermost aggregate; returns the outermost value once it is complete.
    private mutating func deliver(_ value: RESPValue) -> RESPValue? {
        var finished = value
        var depth = stack.count
        while depth > 0 {
            let last = depth - 1
            stack[last].items.append(finished)
            if stack[last].remaining < 0 { return nil }
            stack[last].remaining -= 1
            if stack[last].remaining > 0 { return nil }
            let frame = stack.removeLast()
            guard let closed = close(frame) else { return nil }
            finished = closed
            depth = stack.count
        }
        return finished
    }

    private mutating func closeStreamedAggregate(at offset: Int) throws(RESPProtocolError) -> RESPValue? {
        guard let frame = stack.last, frame.remaining < 0 else {
            throw RESPProtocolError(.unexpectedEndOfAggregate, at: offset)
        }
        stack.removeLast()
        switch frame.container {
        case .map, .attribute:
            guard frame.items.count % 2 == 0 else { throw RESPProtocolError(.oddMapElements(frame.items.count), at: offset) }
        default: break
        }
        guard let value = close(frame) else { return nil }
        return deliver(value)
    }

    /// The value of a finished frame; `nil` when an attribute now waits for the value it annotates.
    private mutating func close(_ frame: Frame) -> RESPValue? {
        switch frame.container {
        case .array: return .array(frame.items)
        case .set: return .set(frame.items)
        case .push: return .push(frame.items)
        case .map: return .map(Self.pairs(frame.items))
        case .attribute:
            stack.append(Frame(container: .annotated(Self.pairs(frame.items)), remaining: 1, items: []))
            return nil
        case .annotated(let attributes):
            return .attribute(attributes, frame.items.first ?? .null)
        }
    }

    private static func pairs(_ items: [RESPValue]) -> RESPMap {
        var entries: [RESPMap.Entry] = []
        entries.reserveCapacity(items.count / 2)
        var index = 0
        while index + 1 < items.count {
            entries.append(RESPMap.Entry(key: items[index], value: items[index + 1]))
            index += 2
        }
        return RESPMap(entries)
    }

    // MARK: - Lines

    /// A line after a type byte: `start` is the type byte, content is `[contentStart, contentStart+length)`.
    private struct Line {
        var start: Int
        var contentStart: Int
        var length: Int
        var next: Int
    }

    /// Finds the CRLF ending the line that starts at `start`, remembering how far it searched in vain.
    private mutating func findLine(_ input: ByteBuffer, start: Int) throws(RESPProtocolError) -> Line? {
        let searchFrom = max(1, scannedLineBytes)
        let available = input.writerIndex - start
        guard available > searchFrom else { return nil }
        let found: Int? = input.withUnsafeReadableBytes { raw in
            let base = start - input.readerIndex
            return raw[(base + searchFrom)...].firstIndex(of: 0x0A).map { $0 - base }
        }
        guard let newline = found else {
            scannedLineBytes = available
            if available > limits.maxLineLength { throw RESPProtocolError(.lineTooLong(limits.maxLineLength), at: start) }
            return nil
        }
        scannedLineBytes = 0
        // The same bound whether the line end came in this read or a later one (found by make fuzz).
        if newline > limits.maxLineLength { throw RESPProtocolError(.lineTooLong(limits.maxLineLength), at: start) }
        guard newline >= 2, input.getInteger(at: start + newline - 1, as: UInt8.self) == 0x0D else {
            throw RESPProtocolError(.missingCRLF, at: start)
        }
        return Line(start: start, contentStart: start + 1, length: newline - 2, next: start + newline + 1)
    }

    private func text(_ input: ByteBuffer, _ line: Line) -> String {
        input.getString(at: line.contentStart, length: line.length) ?? ""
    }

    private func isQuestionMark(_ input: ByteBuffer, _ line: Line) -> Bool {
        line.length == 1 && input.getInteger(at: line.contentStart, as: UInt8.self) == UInt8(ascii: "?")
    }

    /// A signed decimal integer filling the whole line.
    private func integer(_ input: ByteBuffer, _ line: Line) throws(RESPProtocolError) -> Int64 {
        var index = line.contentStart
        let end = line.contentStart + line.length
        var negative = false
        if index < end, input.getInteger(at: index, as: UInt8.self) == UInt8(ascii: "-") {
            negative = true
            index += 1
        } else if index < end, input.getInteger(at: index, as: UInt8.self) == UInt8(ascii: "+") {
            index += 1
        }
        guard index < end, end - index <= 19 else { throw invalidNumber(input, line) }
        var magnitude: UInt64 = 0
        for position in index..<end {
            guard let byte = input.getInteger(at: position, as: UInt8.self),
                  byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw invalidNumber(input, line) }
            magnitude = magnitude * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw invalidNumber(input, line) }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw invalidNumber(input, line) }
        return Int64(magnitude)
    }

    private func double(_ input: ByteBuffer, _ line: Line) throws(RESPProtocolError) -> Double {
        let text = self.text(input, line)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            guard text.utf8.allSatisfy({ Self.isFloatCharacter($0) }), let value = Double(text) else {
                throw invalidNumber(input, line)
            }
            return value
        }
    }

    private static func isFloatCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    private func boolean(_ input: ByteBuffer, _ line: Line) throws(RESPProtocolError) -> Bool {
        guard line.length == 1, let byte = input.getInteger(at: line.contentStart, as: UInt8.self) else {
            throw invalidNumber(input, line)
        }
        switch byte {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw invalidNumber(input, line)
        }
    }

    private func bigNumber(_ input: ByteBuffer, _ line: Line) throws(RESPProtocolError) -> String {
        let text = self.text(input, line)
        let digits = text.utf8.first == UInt8(ascii: "-") || text.utf8.first == UInt8(ascii: "+")
            ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw invalidNumber(input, line)
        }
        return text
    }

    private func invalidNumber(_ input: ByteBuffer, _ line: Line) -> RESPProtocolError {
        RESPProtocolError(.invalidNumber(text(input, line)), at: line.start)
    }
}
