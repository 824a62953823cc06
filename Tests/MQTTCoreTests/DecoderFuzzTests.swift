import MQTTCore
import NIOCore
import Testing
import TestSupport

/// 100,000+ seeded random, mutated and truncated inputs: the decoder returns, waits or throws, never crashes,
/// and never consumes bytes when it returns nil.
struct DecoderFuzzTests {
    @Test func randomAndMutatedInputsNeverCrash() async throws {
        var rng = SeededRandom(seed: 0x6D71_746F_70)
        var valid: [[UInt8]] = []
        for (packet, versions) in PacketRoundTripTests.samples {
            var buffer = ByteBuffer()
            packet.write(version: versions[0], to: &buffer)
            valid.append(Array(buffer.readableBytesView))
        }
        var decodedCount = 0
        for iteration in 0..<120_000 {
            // Leave the shared cooperative threads to the other tests now and then.
            if iteration % 2_000 == 0 { await Task.yield() }
            var bytes: [UInt8]
            switch iteration % 3 {
            case 0:
                bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1:
                bytes = valid[Int.random(in: 0..<valid.count, using: &rng)]
                for _ in 0...Int.random(in: 0...3, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            default:
                bytes = valid[Int.random(in: 0..<valid.count, using: &rng)]
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            }
            let version: MQTTVersion? = [nil, .v3_1_1, .v5][iteration % 3 == 0 ? 0 : Int.random(in: 0...2, using: &rng)]
            var decoder = MQTTPacketDecoder(version: version, maximumPacketSize: 256)
            var buffer = ByteBuffer(bytes: bytes)
            while true {
                let before = buffer.readableBytes
                do {
                    guard try decoder.decode(from: &buffer) != nil else {
                        #expect(buffer.readableBytes == before)
                        break
                    }
                    decodedCount += 1
                    if buffer.readableBytes == 0 { break }
                } catch is MQTTProtocolError {
                    break
                }
            }
        }
        #expect(decodedCount > 1000)
    }
}
