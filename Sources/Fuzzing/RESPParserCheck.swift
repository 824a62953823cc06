import NIOCore
import RESP

/// The invariants of `RESPParser` on any bytes a server (or something pretending to be one) could send.
///
/// Input layout: byte 0 picks the limits, byte 1 where the stream is cut in two reads, the rest is the
/// stream. Beyond "never crashes":
/// - a `nil` result consumes nothing past the finished elements and the parser resumes where it stopped:
///   the stream in two pieces, and byte by byte, parses exactly as it does in one;
/// - every parsed value, written back with `writeRESPValue`, parses to a value that writes the same bytes.
public enum RESPParserCheck {
    static let name = "RESP parser"

    public static func check(_ input: [UInt8]) throws(FuzzFinding) {
        guard input.count >= 2 else { return }
        var limits = RESPParser.Limits()
        if input[0] & 1 == 1 {
            limits.maxBulkLength = 64
            limits.maxDepth = 4
            limits.maxLineLength = 32
        }
        let stream = Array(input.dropFirst(2))
        let cut = stream.isEmpty ? 0 : Int(input[1]) % (stream.count + 1)

        let whole = parse(stream, cuts: [], limits: limits)
        let split = parse(stream, cuts: [cut], limits: limits)
        guard whole == split else {
            throw FuzzFinding(name, "read in two pieces (cut at \(cut)) the stream parses differently:\n"
                + "  whole: \(whole)\n  split: \(split)")
        }
        if stream.count <= 512 {
            let byByte = parse(stream, cuts: Array(stream.indices.dropFirst()), limits: limits)
            guard whole == byByte else {
                throw FuzzFinding(name, "read byte by byte the stream parses differently:\n"
                    + "  whole: \(whole)\n  bytes: \(byByte)")
            }
        }
        for value in whole.values { try roundTrip(value) }
    }

    struct Outcome: Equatable, CustomStringConvertible {
        var values: [RESPValue] = []
        var error: RESPProtocolError?
        var description: String { "\(values.count) values \(values) error \(error.map { "\($0)" } ?? "none")" }

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            // Compared as wire bytes: a double NaN is not equal to itself, its bytes are.
            lhs.values.map(RESPParserCheck.wire) == rhs.values.map(RESPParserCheck.wire) && lhs.error == rhs.error
        }
    }

    /// Parses `stream` arriving in pieces that end at `cuts`, as a connection's reads would.
    static func parse(_ stream: [UInt8], cuts: [Int], limits: RESPParser.Limits) -> Outcome {
        var parser = RESPParser(limits: limits)
        var buffer = ByteBuffer()
        var outcome = Outcome()
        var start = 0
        for end in cuts + [stream.count] where end >= start {
            buffer.writeBytes(stream[start..<end])
            start = end
            while outcome.error == nil {
                do {
                    guard let value = try parser.parse(&buffer) else { break }
                    outcome.values.append(value)
                } catch {
                    outcome.error = error
                }
            }
        }
        return outcome
    }

    static func wire(_ value: RESPValue) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeRESPValue(value)
        return Array(buffer.readableBytesView)
    }

    static func roundTrip(_ value: RESPValue) throws(FuzzFinding) {
        let bytes = wire(value)
        var parser = RESPParser()
        var buffer = ByteBuffer(bytes: bytes)
        let again: RESPValue?
        do {
            again = try parser.parse(&buffer)
        } catch {
            throw FuzzFinding(name, "\(value) written as \(String(decoding: bytes, as: UTF8.self).debugDescription) "
                + "does not parse: \(error)")
        }
        guard let again, buffer.readableBytes == 0, wire(again) == bytes else {
            throw FuzzFinding(name, "round trip changed \(value) into \(String(describing: again))")
        }
    }
}
