@testable import Fuzzing
import Testing

/// Every committed fuzz input, seeds and past findings alike, replayed through its check on every `make test`,
/// so a regression of something a fuzz run once found fails here without a sanitizer build.
struct CorpusReplayTests {
    /// `fuzz/` at the repository root.
    static let fuzzFolder: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/fuzz"
    }()

    static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for folder in ["corpus", "regressions"] {
            let path = "\(fuzzFolder)/\(folder)/\(target)"
            // A target may have no past findings yet.
            guard let files = try? CorpusFiles.list(path) else { continue }
            for file in files {
                inputs.append((String(file.dropFirst(fuzzFolder.count + 1)), try CorpusFiles.read(file)))
            }
        }
        return inputs
    }

    @Test func mqttInputs() throws {
        let inputs = try Self.inputs("mqtt")
        #expect(inputs.count >= 10)
        for input in inputs {
            #expect(throws: Never.self, "\(input.name)") { try MQTTDecoderCheck.check(input.bytes) }
        }
    }

    /// The seeds named `valid-*` are real client and broker traffic: they must decode whole, or the input
    /// layout the check expects has drifted from the corpus.
    @Test func validMQTTSeedsDecodeWhole() throws {
        for input in try Self.inputs("mqtt") where input.name.contains("/valid-") {
            let mode = Int(input.bytes[0])
            let outcome = try MQTTDecoderCheck.decode(Array(input.bytes.dropFirst(2)), cut: input.bytes.count - 2,
                                                      version: [nil, .v3_1_1, .v5][mode % 3], maximumPacketSize: 1 << 20)
            #expect(outcome.error == nil && !outcome.packets.isEmpty, "\(input.name): \(outcome)")
        }
    }

    @Test func respInputs() throws {
        let inputs = try Self.inputs("resp")
        #expect(inputs.count >= 5)
        for input in inputs {
            #expect(throws: Never.self, "\(input.name)") { try RESPParserCheck.check(input.bytes) }
        }
        for input in inputs where input.name.contains("/valid-") {
            let outcome = RESPParserCheck.parse(Array(input.bytes.dropFirst(2)), cuts: [], limits: .init())
            #expect(outcome.error == nil && outcome.values.count >= 3, "\(input.name): \(outcome)")
        }
    }

    @Test func backendConfigInputs() throws {
        let inputs = try Self.inputs("backend-config")
        #expect(inputs.count >= 5)
        for input in inputs {
            #expect(throws: Never.self, "\(input.name)") { try BackendConfigCheck.check(input.bytes) }
            let understood = if case .understood = try BackendConfigCheck.parse(String(decoding: input.bytes, as: UTF8.self)) {
                true
            } else {
                false
            }
            // Seeds and findings alike say in their names whether they are a file the parser must accept.
            #expect(understood == input.name.contains("/valid-"), "\(input.name)")
        }
    }

    /// The decode the checks compare ends at the first broken packet, keeping what came before it.
    @Test func aBrokenPacketAfterAGoodOneIsAnError() throws {
        let connect: [UInt8] = [0x10, 0x0D, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, 0x61]
        let outcome = try MQTTDecoderCheck.decode(connect + [0x00, 0x00], cut: 5, version: nil, maximumPacketSize: 1 << 20)
        #expect(outcome.packets.count == 1)
        #expect(outcome.error != nil)
    }
}
