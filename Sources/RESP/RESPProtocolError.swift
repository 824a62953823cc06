/// The bytes received are not valid RESP. The connection they came from cannot be trusted any more.
public struct RESPProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case invalidTypeByte(UInt8)
        case invalidNumber(String)
        case invalidLength(Int64)
        case missingCRLF
        case tooLarge(Int64)
        case lineTooLong(Int)
        case tooDeep(Int)
        case unexpectedEndOfAggregate
        case unexpectedChunk
        case oddMapElements(Int)
        case invalidVerbatim
        case invalidNullLine
    }

    let kind: Kind
    /// Absolute index in the stream's buffer where the offending element starts.
    public let offset: Int

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch kind {
        case .invalidTypeByte(let byte):
            what = "unknown type byte 0x\(String(byte, radix: 16))"
        case .invalidNumber(let text): what = "invalid number '\(text.prefix(40))'"
        case .invalidLength(let length): what = "invalid length \(length)"
        case .missingCRLF: what = "line not terminated by CRLF"
        case .tooLarge(let length): what = "bulk length \(length) exceeds the limit"
        case .lineTooLong(let length): what = "no line end within \(length) bytes"
        case .tooDeep(let depth): what = "aggregates nested deeper than \(depth)"
        case .unexpectedEndOfAggregate: what = "end marker '.' outside a streamed aggregate"
        case .unexpectedChunk: what = "expected a ';' chunk inside a streamed string"
        case .oddMapElements(let count): what = "map with an odd number of elements (\(count))"
        case .invalidVerbatim: what = "verbatim string without a 3-letter format prefix"
        case .invalidNullLine: what = "null with trailing data"
        }
        return "RESP protocol error at byte \(offset): \(what)"
    }
}
