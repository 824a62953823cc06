import MQTTCore
import NIOCore

/// The invariants of `MQTTPacketDecoder` on any bytes a peer could send.
///
/// Input layout: byte 0 picks the decoder (server side before CONNECT, 3.1.1 or 5.0) and the packet size
/// limit, byte 1 where the stream is cut in two reads, the rest is the stream. Beyond "never crashes":
/// - a `nil` result consumes nothing, a packet consumes bytes, and only `MQTTProtocolError` is thrown;
/// - the stream read in two pieces decodes to exactly what it does in one;
/// - every decoded packet encodes to `encodedSize` bytes and decodes back to itself.
public enum MQTTDecoderCheck {
    static let name = "MQTT decoder"

    public static func check(_ input: [UInt8]) throws(FuzzFinding) {
        guard input.count >= 2 else { return }
        let mode = Int(input[0])
        let version: MQTTVersion? = [nil, .v3_1_1, .v5][mode % 3]
        let maximumPacketSize = (mode / 3) % 2 == 0 ? VariableByteInteger.maximum + 5 : 64
        let stream = Array(input.dropFirst(2))
        let cut = stream.isEmpty ? 0 : Int(input[1]) % (stream.count + 1)

        let whole = try decode(stream, cut: stream.count, version: version, maximumPacketSize: maximumPacketSize)
        let split = try decode(stream, cut: cut, version: version, maximumPacketSize: maximumPacketSize)
        guard whole == split else {
            throw FuzzFinding(name, "read in two pieces (cut at \(cut)) the stream decodes differently:\n"
                + "  whole: \(whole)\n  split: \(split)")
        }
        for decoded in whole.packets { try roundTrip(decoded) }
    }

    struct Decoded: Equatable {
        var packet: MQTTPacket
        /// The connection's version once the packet was read, which is the one it is written back in.
        var version: MQTTVersion
    }

    struct Outcome: Equatable {
        var packets: [Decoded] = []
        var error: String?
    }

    /// Decodes `stream` as a connection would: the bytes up to `cut` first, then the rest appended.
    static func decode(_ stream: [UInt8], cut: Int, version: MQTTVersion?,
                       maximumPacketSize: Int) throws(FuzzFinding) -> Outcome {
        var decoder = MQTTPacketDecoder(version: version, maximumPacketSize: maximumPacketSize)
        var buffer = ByteBuffer()
        var outcome = Outcome()
        for piece in [stream[..<cut], stream[cut...]] {
            buffer.writeBytes(piece)
            while outcome.error == nil {
                let before = buffer.readableBytes
                let packet: MQTTPacket?
                do {
                    packet = try decoder.decode(from: &buffer)
                } catch let error as MQTTProtocolError {
                    outcome.error = "\(error)"
                    break
                } catch {
                    throw FuzzFinding(name, "threw \(type(of: error)), not MQTTProtocolError: \(error)")
                }
                guard let packet else {
                    guard buffer.readableBytes == before else {
                        throw FuzzFinding(name, "returned nil but consumed \(before - buffer.readableBytes) bytes")
                    }
                    break
                }
                guard buffer.readableBytes < before, let current = decoder.version else {
                    throw FuzzFinding(name, "decoded \(packet) without consuming bytes or fixing a version")
                }
                outcome.packets.append(Decoded(packet: packet, version: current))
            }
        }
        return outcome
    }

    static func roundTrip(_ decoded: Decoded) throws(FuzzFinding) {
        var buffer = ByteBuffer()
        decoded.packet.write(version: decoded.version, to: &buffer)
        let expectedSize = decoded.packet.encodedSize(version: decoded.version)
        guard buffer.readableBytes == expectedSize else {
            throw FuzzFinding(name, "\(decoded.packet) wrote \(buffer.readableBytes) bytes, encodedSize says \(expectedSize)")
        }
        let wire = Array(buffer.readableBytesView)
        // A CONNECT carries its own version; everything else is read in the connection's.
        var decoder = MQTTPacketDecoder(version: decoded.packet.packetType == .connect ? nil : decoded.version)
        let again: MQTTPacket?
        do {
            again = try decoder.decode(from: &buffer)
        } catch {
            throw FuzzFinding(name, "\(decoded.packet) encoded as \(wire) does not decode: \(error)")
        }
        guard again == decoded.packet, buffer.readableBytes == 0 else {
            throw FuzzFinding(name, "round trip changed the packet:\n  was \(decoded.packet)\n  now \(String(describing: again))")
        }
    }
}
