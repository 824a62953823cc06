import NIOCore
import RESP
import Testing

@Suite("RESP decoding")
struct RESPDecodingTests {
    /// Every type of both protocols, as the wire spells it, and what it decodes to.
    static let cases: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("+\r\n", .simpleString("")),
        ("-ERR unknown command 'foo'\r\n", .error(RESPError(message: "ERR unknown command 'foo'"))),
        ("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
         .error(RESPError(message: "WRONGPASS invalid username-password pair or user is disabled."))),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":+7\r\n", .integer(7)),
        (":9223372036854775807\r\n", .integer(.max)),
        (":-9223372036854775808\r\n", .integer(.min)),
        ("$5\r\nhello\r\n", .bulkString("hello")),
        ("$0\r\n\r\n", .bulkString("")),
        ("$4\r\na\r\nb\r\n", .bulkString("a\r\nb")),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("_\r\n", .null),
        ("*0\r\n", .array([])),
        ("*2\r\n$3\r\nfoo\r\n:1\r\n", .array([.bulkString("foo"), .integer(1)])),
        ("*2\r\n*1\r\n:1\r\n*2\r\n+a\r\n$-1\r\n", .array([.array([.integer(1)]), .array([.simpleString("a"), .null])])),
        ("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", .map([.simpleString("a"): .integer(1), .simpleString("b"): .integer(2)])),
        ("%0\r\n", .map([:])),
        ("~2\r\n:1\r\n:2\r\n", .set([.integer(1), .integer(2)])),
        (",1.5\r\n", .double(1.5)),
        (",-0.25\r\n", .double(-0.25)),
        (",1e3\r\n", .double(1000)),
        (",10\r\n", .double(10)),
        (",inf\r\n", .double(.infinity)),
        (",-inf\r\n", .double(-.infinity)),
        ("#t\r\n", .boolean(true)),
        ("#f\r\n", .boolean(false)),
        ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
        ("(-12\r\n", .bigNumber("-12")),
        ("!21\r\nSYNTAX invalid syntax\r\n", .error(RESPError(message: "SYNTAX invalid syntax"))),
        ("=15\r\ntxt:Some string\r\n", .verbatim(format: "txt", text: ByteBuffer(string: "Some string"))),
        ("=4\r\nmkd:\r\n", .verbatim(format: "mkd", text: ByteBuffer())),
        (">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
         .push([.bulkString("message"), .bulkString("ch"), .bulkString("hi")])),
        ("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2039123\r\n",
         .attribute([.simpleString("key-popularity"): .map([.bulkString("a"): .double(0.19)])],
                    .array([.integer(2039123)]))),
        ("*2\r\n|1\r\n+ttl\r\n:3\r\n:1\r\n:2\r\n",
         .array([.attribute([.simpleString("ttl"): .integer(3)], .integer(1)), .integer(2)])),
        ("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n", .bulkString("Hello word")),
        ("*?\r\n:1\r\n:2\r\n.\r\n", .array([.integer(1), .integer(2)])),
        ("%?\r\n+a\r\n:1\r\n.\r\n", .map([.simpleString("a"): .integer(1)])),
        ("*?\r\n.\r\n", .array([])),
        ("*2\r\n*?\r\n:1\r\n.\r\n:2\r\n", .array([.array([.integer(1)]), .integer(2)])),
    ]

    @Test("each type decodes, whole and byte at a time", arguments: 0..<cases.count)
    func eachType(index: Int) throws {
        let (wire, expected) = Self.cases[index]
        for chunk in [Int.max, 1, 2, 3, 7] {
            let values = try decodeAll(wire, chunk: chunk)
            #expect(values.count == 1, "chunk \(chunk): \(values)")
            #expect(values.first == expected, "chunk \(chunk)")
        }
    }

    @Test("all cases back to back, in every chunk size up to 17 bytes")
    func backToBack() throws {
        let wire = Self.cases.map(\.0).joined()
        let expected = Self.cases.map(\.1)
        for chunk in 1...17 {
            let values = try decodeAll(wire, chunk: chunk)
            #expect(values.count == expected.count)
            for (got, want) in zip(values, expected) where !(got == want || got.isNaN && want.isNaN) {
                Issue.record("chunk \(chunk): got \(got), want \(want)")
            }
        }
    }

    @Test func nanDecodes() throws {
        let values = try decodeAll(",nan\r\n")
        #expect(values.first?.isNaN == true)
    }

    @Test func bulkStringsAreBinarySafe() throws {
        let payload: [UInt8] = Array(0...255)
        let wire = Array("$256\r\n".utf8) + payload + Array("\r\n".utf8)
        let values = try decodeAll(wire, chunk: 1)
        #expect(values == [.bulkString(payload)])
        #expect(values.first?.bytes.map { Array($0.readableBytesView) } == payload)
    }

    @Test func incompleteInputConsumesNothingOfTheUnfinishedElement() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: "+OK\r\n$5\r\nhel")
        #expect(try parser.parse(&buffer) == .simpleString("OK"))
        #expect(try parser.parse(&buffer) == nil)
        #expect(buffer.readableBytes == 7)
        buffer.writeString("lo\r\n")
        #expect(try parser.parse(&buffer) == .bulkString("hello"))
        #expect(buffer.readableBytes == 0)
    }

    @Test func aggregatesArriveInPiecesWithoutReparsing() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: "*3\r\n:1\r\n:2\r\n")
        #expect(try parser.parse(&buffer) == nil)
        #expect(parser.isMidValue)
        #expect(buffer.readableBytes == 0, "finished elements are consumed")
        buffer.writeString(":3\r\n")
        #expect(try parser.parse(&buffer) == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(!parser.isMidValue)
    }

    @Test func decoderWrapsTheParser() throws {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(string: ":1\r\n:2\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .integer(1))
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == .integer(2))
        #expect(try decoder.decode(buffer: &buffer) == nil)
    }

    @Test func accessorsReadBothProtocols() throws {
        #expect(RESPValue.bulkString("12").int == 12)
        #expect(RESPValue.integer(5).int == 5)
        #expect(RESPValue.bulkString("1.5").double == 1.5)
        #expect(RESPValue.bulkString("inf").double == .infinity)
        #expect(RESPValue.integer(1).bool == true)
        #expect(RESPValue.boolean(false).bool == false)
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.verbatim(format: "txt", text: ByteBuffer(string: "x")).string == "x")
        let flat = RESPValue.array([.bulkString("f"), .bulkString("v")])
        #expect(flat.map?["f"] == .bulkString("v"))
        #expect(RESPValue.array([.integer(1)]).map == nil)
        #expect(RESPValue.set([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.error(RESPError(message: "MOVED 1 h:1")).error?.code == "MOVED")
        #expect(RESPValue.attribute([:], .integer(4)).int == 4)
        #expect(RESPValue.null.isNull)
        #expect(RESPValue.bulkString("x").string != nil && RESPValue.integer(1).string == nil)
    }
}

extension RESPValue {
    var isNaN: Bool {
        if case .double(let value) = self { return value.isNaN }
        return false
    }
}
