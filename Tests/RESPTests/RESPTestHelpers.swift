import NIOCore
import RESP
import TestSupport

/// Feeds `bytes` to a fresh parser in chunks of `chunk` bytes and collects every value it produces.
func decodeAll(_ bytes: [UInt8], chunk: Int = Int.max) throws -> [RESPValue] {
    var parser = RESPParser()
    var buffer = ByteBuffer()
    var values: [RESPValue] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + max(1, chunk))
        buffer.writeBytes(bytes[offset..<end])
        offset = end
        while let value = try parser.parse(&buffer) { values.append(value) }
    }
    return values
}

func decodeAll(_ text: String, chunk: Int = Int.max) throws -> [RESPValue] {
    try decodeAll(Array(text.utf8), chunk: chunk)
}

func encoded(_ value: RESPValue) -> [UInt8] {
    var buffer = ByteBuffer()
    buffer.writeRESPValue(value)
    return Array(buffer.readableBytesView)
}

/// Random values of every RESP3 type, nested up to `depth`.
func randomValue(_ random: inout SeededRandom, depth: Int = 3) -> RESPValue {
    let kinds = depth > 0 ? 14 : 9
    switch Int.random(in: 0..<kinds, using: &random) {
    case 0: return .simpleString(randomText(&random))
    case 1: return .error(RESPError(message: "ERR " + randomText(&random)))
    case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &random))
    case 3: return .bulkString(ByteBuffer(bytes: randomBytes(&random)))
    case 4: return .null
    case 5: return .double(Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 64)
    case 6: return .boolean(Bool.random(using: &random))
    case 7: return .bigNumber(String(UInt64.random(in: 0...UInt64.max, using: &random)) + "123456789")
    case 8: return .verbatim(format: "txt", text: ByteBuffer(bytes: randomBytes(&random)))
    case 9: return .array(randomValues(&random, depth: depth - 1))
    case 10: return .set(randomValues(&random, depth: depth - 1))
    case 11: return .push(randomValues(&random, depth: depth - 1))
    case 12:
        let values = randomValues(&random, depth: depth - 1)
        return .map(RESPMap(values.map { RESPMap.Entry(key: .simpleString(randomText(&random)), value: $0) }))
    default:
        return .attribute([.simpleString("ttl"): .integer(3)], randomValue(&random, depth: depth - 1))
    }
}

func randomValues(_ random: inout SeededRandom, depth: Int) -> [RESPValue] {
    (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(&random, depth: depth) }
}

/// Printable text without CR or LF (what simple strings may hold).
func randomText(_ random: inout SeededRandom) -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyz ABC-_:0123456789é")
    return String((0..<Int.random(in: 0...12, using: &random)).map { _ in letters[Int.random(in: 0..<letters.count, using: &random)] })
}

func randomBytes(_ random: inout SeededRandom) -> [UInt8] {
    (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
}
