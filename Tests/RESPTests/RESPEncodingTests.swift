import NIOCore
import RESP
import Testing
import TestSupport

@Suite("RESP encoding")
struct RESPEncodingTests {
    @Test func commandsAreArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        let written = buffer.writeRESPCommand("SET", ["key", 42, 1.5, -7, RESPArgument([0, 13, 10, 255])])
        let expected = "*6\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n42\r\n$3\r\n1.5\r\n$2\r\n-7\r\n$4\r\n\u{0}\r\n\u{FF}\r\n"
        var expectedBytes = Array(expected.utf8)
        // U+00FF is two bytes in UTF-8; the argument is the single byte 0xFF.
        expectedBytes.replaceSubrange(expectedBytes.count - 4..<expectedBytes.count - 2, with: [255])
        #expect(Array(buffer.readableBytesView) == expectedBytes)
        #expect(written == expectedBytes.count)
    }

    @Test func wholeScoresGoAsIntegers() {
        // A ZADD score of 1 is written `1` (Redis reads the same score) and sized exactly; fractions and
        // the infinities keep their text.
        var buffer = ByteBuffer()
        _ = buffer.writeRESPCommand("ZADD", ["z", RESPArgument(1.0), "m", RESPArgument(2.5), RESPArgument(-Double.infinity)])
        #expect(String(buffer: buffer) == "*6\r\n$4\r\nZADD\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\nm\r\n$3\r\n2.5\r\n$4\r\n-inf\r\n")
    }

    @Test func argumentKinds() {
        var buffer = ByteBuffer()
        buffer.writeRESPCommand(["PING"])
        buffer.writeRESPCommand("ZADD", ["z", RESPArgument(Double.infinity), RESPArgument(-Double.infinity),
                                         RESPArgument(ByteBuffer(string: "m")), RESPArgument(Int64.min), "é"])
        #expect(String(buffer: buffer) == "*1\r\n$4\r\nPING\r\n" +
            "*7\r\n$4\r\nZADD\r\n$1\r\nz\r\n$3\r\ninf\r\n$4\r\n-inf\r\n$1\r\nm\r\n$20\r\n-9223372036854775808\r\n$2\r\né\r\n")
    }

    /// The one-pass writer (no doubles) and the general writer produce the same bytes.
    @Test func fastAndGeneralPathsAgree() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2_000 {
            var arguments: [RESPArgument] = []
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                switch Int.random(in: 0..<4, using: &random) {
                case 0: arguments.append(RESPArgument(randomText(&random)))
                case 1: arguments.append(RESPArgument(ByteBuffer(bytes: randomBytes(&random))))
                case 2: arguments.append(RESPArgument(randomBytes(&random)))
                default: arguments.append(RESPArgument(Int64.random(in: Int64.min...Int64.max, using: &random)))
                }
            }
            var fast = ByteBuffer()
            fast.writeRESPCommand("HSET", arguments)
            var general = ByteBuffer()
            general.writeRESPCommand([RESPArgument("HSET")] + arguments)
            #expect(fast == general)
        }
    }

    @Test func integersOfEveryLength() throws {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power, power - 1, -power, -(power - 1)]
        }
        for value in values {
            var buffer = ByteBuffer()
            buffer.writeRESPValue(.integer(value))
            #expect(String(buffer: buffer) == ":\(value)\r\n")
            var parser = RESPParser()
            #expect(try parser.parse(&buffer) == .integer(value))
        }
    }

    @Test func everyTypeRoundTrips() throws {
        for (_, value) in RESPDecodingTests.cases {
            let values = try decodeAll(encoded(value))
            #expect(values == [value])
        }
    }

    @Test func argumentDescriptionEscapesBinary() {
        #expect(RESPArgument([0x41, 0x00]).description == "A\\x00")
        #expect(RESPArgument(12).description == "12")
        #expect(RESPArgument("k").text == "k")
    }
}
