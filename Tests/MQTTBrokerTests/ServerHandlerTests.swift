@testable import MQTTBroker
import Logging
import MQTTCore
import NIOCore
import NIOEmbedded
import Testing

/// The connection handler on an `EmbeddedChannel`: bytes in, bytes out, and its deadlines in virtual
/// time (the embedded loop's clock), so the CONNECT timeout and the keepalive take microseconds, not seconds.
@Suite struct ServerHandlerTests {
    /// A broker core on one embedded loop, and a connection to it.
    struct Harness {
        let loop = EmbeddedEventLoop()
        let core: BrokerCore
        let channel: EmbeddedChannel

        init(_ configure: (inout BrokerConfiguration) -> Void = { _ in }) throws {
            var configuration = BrokerConfiguration()
            configure(&configuration)
            core = BrokerCore(configuration: configuration, logger: Logger(label: "test.handler"), loops: [loop],
                              eventSink: nil, authenticator: nil, retained: RetainedStore())
            _ = core.routers.start()
            loop.run()
            let reader = MQTTPacketReader(decoder: MQTTPacketDecoder(maximumPacketSize: configuration.maxPacketSize))
            channel = EmbeddedChannel(handler: MQTTServerHandler(core: core, loopIndex: 0, reader: reader), loop: loop)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        }

        func send(_ packets: MQTTPacket...) throws {
            var bytes = channel.allocator.buffer(capacity: 256)
            for packet in packets { packet.write(version: .v5, to: &bytes) }
            try channel.writeInbound(bytes)
            loop.run()
        }

        func sendRaw(_ bytes: [UInt8]) throws {
            try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
            loop.run()
        }

        /// Every packet written to the client so far.
        func received() throws -> [MQTTPacket] {
            var decoder = MQTTPacketDecoder(version: .v5)
            var packets: [MQTTPacket] = []
            while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
                while let packet = try decoder.decode(from: &bytes) { packets.append(packet) }
            }
            return packets
        }

        func advance(by time: TimeAmount) {
            loop.advanceTime(by: time)
            loop.run()
        }
    }

    static func connect(keepAlive: UInt16 = 60) -> MQTTPacket {
        .connect(ConnectPacket(version: .v5, clientID: "embedded", keepAlive: keepAlive))
    }

    @Test func connectGetsAConnackAndAPingAPingresp() throws {
        let harness = try Harness()
        try harness.send(Self.connect())
        guard case .connack(let connack)? = try harness.received().first else {
            Issue.record("no CONNACK")
            return
        }
        #expect(connack.reason == .success)
        try harness.send(.pingreq)
        #expect(try harness.received() == [.pingresp])
    }

    @Test func aPacketCutAcrossReadsIsHandledOnce() throws {
        let harness = try Harness()
        var bytes = ByteBufferAllocator().buffer(capacity: 64)
        Self.connect().write(version: .v5, to: &bytes)
        MQTTPacket.pingreq.write(version: .v5, to: &bytes)
        let all = Array(bytes.readableBytesView)
        try harness.sendRaw(Array(all[..<5]))
        #expect(try harness.received().isEmpty)
        try harness.sendRaw(Array(all[5...]))
        let packets = try harness.received()
        #expect(packets.count == 2 && packets.last == .pingresp)
    }

    @Test func noConnectWithinTheTimeoutCloses() throws {
        let harness = try Harness { $0.connectTimeout = .seconds(10) }
        harness.advance(by: .seconds(9))
        #expect(harness.channel.isActive)
        harness.advance(by: .seconds(2))
        #expect(!harness.channel.isActive)
    }

    @Test func keepaliveExpiresAfterOneAndAHalfPeriods() throws {
        let harness = try Harness()
        try harness.send(Self.connect(keepAlive: 10))
        _ = try harness.received()
        // Traffic within the grace keeps it alive; 15 s of silence ends it with 0x8D.
        harness.advance(by: .seconds(14))
        try harness.send(.pingreq)
        #expect(try harness.received() == [.pingresp])
        harness.advance(by: .seconds(14))
        #expect(try harness.received().isEmpty)
        harness.advance(by: .seconds(2))
        #expect(try harness.received() == [.disconnect(DisconnectPacket(reason: .keepAliveTimeout))])
        // The connection lingers for the client to read why, then closes.
        harness.advance(by: ClientConnection.lingerTime)
        #expect(!harness.channel.isActive)
    }

    @Test func aMalformedPacketGetsADisconnectWith0x81() throws {
        let harness = try Harness()
        try harness.send(Self.connect())
        _ = try harness.received()
        try harness.sendRaw([0x00, 0x00])   // packet type 0 is reserved
        #expect(try harness.received() == [.disconnect(DisconnectPacket(reason: .malformedPacket))])
        // What follows is not read.
        try harness.send(.pingreq)
        #expect(try harness.received().isEmpty)
    }
}
