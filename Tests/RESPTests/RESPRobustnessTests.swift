import NIOCore
import RESP
import Testing
import TestSupport

@Suite("RESP robustness")
struct RESPRobustnessTests {
    @Test("malformed input is a protocol error", arguments: [
        "?\r\n", "\n", ":12a\r\n", ":\r\n", ":-\r\n", ":99999999999999999999\r\n", "$-2\r\n", "*-5\r\n",
        "$3\r\nabcd\r\n", "+OK\n", "#x\r\n", "#\r\n", ",abc\r\n", "(12x\r\n", "(\r\n", "_x\r\n", ".\r\n",
        "=2\r\nab\r\n", "=5\r\ntxtab\r\n", "$?\r\n:1\r\n", "%?\r\n:1\r\n.\r\n", "*1\r\n.\r\n",
    ])
    func malformed(wire: String) {
        #expect(throws: RESPProtocolError.self) { _ = try decodeAll(wire) }
    }

    @Test func limitsAreEnforced() throws {
        var limits = RESPParser.Limits()
        limits.maxBulkLength = 10
        limits.maxDepth = 3
        limits.maxLineLength = 16
        func check(_ wire: String) {
            var parser = RESPParser(limits: limits)
            var buffer = ByteBuffer(string: wire)
            #expect(throws: RESPProtocolError.self, "\(wire)") {
                while try parser.parse(&buffer) != nil {}
            }
        }
        check("$11\r\n")
        check("*1\r\n*1\r\n*1\r\n*1\r\n")
        check("+" + String(repeating: "x", count: 40))
        // Over the bound even when the line end arrives in the same read (fuzz/regressions/resp).
        check("-ERR " + String(repeating: "x", count: 40) + "\r\n")
        check("$?\r\n;6\r\nabcdef\r\n;6\r\nabcdef\r\n")
        var parser = RESPParser(limits: limits)
        var buffer = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n:1\r\n$10\r\n0123456789\r\n")
        #expect(try parser.parse(&buffer) == .array([.array([.array([.integer(1)])])]))
        #expect(try parser.parse(&buffer) == .bulkString("0123456789"))
    }

    @Test func deepNestingWithinTheLimitDoesNotUseTheCallStack() throws {
        let depth = 200
        let wire = String(repeating: "*1\r\n", count: depth) + ":1\r\n"
        let values = try decodeAll(wire, chunk: 3)
        var value = try #require(values.first)
        var levels = 0
        while case .array(let inner) = value, let first = inner.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
        #expect(value == .integer(1))
    }

    /// At least 100,000 seeded cases: round trips in random chunks, every truncation point of random values,
    /// random mutations and pure garbage. None may crash; truncations must wait for more input.
    @Test func seededRandomInputNeverCrashes() async throws {
        var random = SeededRandom(seed: 0x5EED_2026)
        var cases = 0
        var protocolErrors = 0

        // Every loop yields now and then: a long synchronous loop would starve the other tests' tasks of the
        // two cooperative threads this machine has.
        for index in 0..<40_000 {
            if index % 1_000 == 0 { await Task.yield() }
            let value = randomValue(&random)
            let bytes = encoded(value)
            let chunk = Int.random(in: 1...max(1, bytes.count), using: &random)
            let values = try decodeAll(bytes, chunk: chunk)
            #expect(values == [value])
            cases += 1
        }

        for index in 0..<30_000 {
            if index % 1_000 == 0 { await Task.yield() }
            let bytes = encoded(randomValue(&random))
            guard bytes.count > 1 else { continue }
            let cut = Int.random(in: 1..<bytes.count, using: &random)
            var parser = RESPParser()
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            let value = try parser.parse(&buffer)
            #expect(value == nil, "a truncated value must not complete: \(bytes[..<cut])")
            cases += 1
        }

        let typeBytes = Array("+-:$*_,#!=(%~>|.;?\r\n0123456789".utf8)
        for round in 0..<40_000 {
            if round % 1_000 == 0 { await Task.yield() }
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = encoded(randomValue(&random))
                for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = Bool.random(using: &random)
                        ? typeBytes[Int.random(in: 0..<typeBytes.count, using: &random)]
                        : UInt8.random(in: 0...255, using: &random)
                }
            } else {
                bytes = (0..<Int.random(in: 1...40, using: &random)).map { _ in
                    typeBytes[Int.random(in: 0..<typeBytes.count, using: &random)]
                }
            }
            let chunk = Int.random(in: 1...8, using: &random)
            do {
                _ = try decodeAll(bytes, chunk: chunk)
            } catch {
                protocolErrors += 1
            }
            cases += 1
        }
        #expect(cases >= 100_000)
        #expect(protocolErrors > 0, "mutations must be detected at least sometimes")
    }
}
