@testable import MQTTBroker
import Logging
import MQTTCore
import NIOCore
import NIOEmbedded
import Testing

/// The connection handler on an `EmbeddedChannel`: bytes in, bytes out, and its deadlines in virtual
/// time (the embedded loop's clock), so the CONNECT timeout and the keepalive take microseconds, not seconds.
@Suite struct ServerHandlerTests {
    /// A broker core on one embedded loop, and connections to it.
    struct Harness {
        let loop = EmbeddedEventLoop()
        let core: BrokerCore
        /// The first connection.
        let client: Client

        init(authenticator: (any BrokerAuthenticator)? = nil, eventSink: (any BrokerEventSink)? = nil,
             _ configure: (inout BrokerConfiguration) -> Void = { _ in }) throws {
            var configuration = BrokerConfiguration()
            configure(&configuration)
            core = BrokerCore(configuration: configuration, logger: Logger(label: "test.handler"), loops: [loop],
                              eventSink: eventSink, authenticator: authenticator, retained: RetainedStore())
            _ = core.routers.start()
            loop.run()
            client = try Client(core: core, loop: loop, port: 40000)
        }

        func connection(port: Int) throws -> Client { try Client(core: core, loop: loop, port: port) }

        func advance(by time: TimeAmount) {
            loop.advanceTime(by: time)
            loop.run()
        }

        // The first connection's operations, for the single-client tests.
        var channel: EmbeddedChannel { client.channel }
        func send(_ packets: MQTTPacket...) throws { try client.send(packets) }
        func sendRaw(_ bytes: [UInt8]) throws { try client.sendRaw(bytes) }
        func received() throws -> [MQTTPacket] { try client.received() }
    }

    /// One client connection: an embedded channel with the broker's handler.
    struct Client {
        let channel: EmbeddedChannel
        let loop: EmbeddedEventLoop

        init(core: BrokerCore, loop: EmbeddedEventLoop, port: Int) throws {
            let reader = MQTTPacketReader(decoder: MQTTPacketDecoder(maximumPacketSize: core.configuration.maxPacketSize))
            channel = EmbeddedChannel(handler: MQTTServerHandler(core: core, loopIndex: 0, reader: reader), loop: loop)
            self.loop = loop
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: port)).wait()
        }

        func send(_ packets: MQTTPacket...) throws { try send(packets) }

        func send(_ packets: [MQTTPacket]) throws {
            var bytes = channel.allocator.buffer(capacity: 256)
            for packet in packets { packet.write(version: .v5, to: &bytes) }
            try channel.writeInbound(bytes)
            loop.run()
        }

        func sendRaw(_ bytes: [UInt8]) throws {
            try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
            loop.run()
        }

        /// Every packet written to the client since the last call.
        func received() throws -> [MQTTPacket] {
            var decoder = MQTTPacketDecoder(version: .v5)
            var packets: [MQTTPacket] = []
            while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
                while let packet = try decoder.decode(from: &bytes) { packets.append(packet) }
            }
            return packets
        }

        /// The client goes away without DISCONNECT.
        func drop() {
            channel.pipeline.fireChannelInactive()
            loop.run()
        }
    }

    static func connect(_ clientID: String = "embedded", keepAlive: UInt16 = 60, cleanStart: Bool = true,
                        sessionExpiry: UInt32? = nil) -> MQTTPacket {
        var properties = MQTTProperties()
        properties.sessionExpiryInterval = sessionExpiry
        return .connect(ConnectPacket(version: .v5, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive,
                                      properties: properties))
    }

    static func publishes(_ packets: [MQTTPacket]) -> [PublishPacket] {
        packets.compactMap { if case .publish(let publish) = $0 { return publish } else { return nil } }
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

    /// Never answers: stands for an authentication backend that hangs.
    struct SilentAuthenticator: BrokerAuthenticator {
        /// A stream nobody finishes: its continuation lives as long as the authenticator.
        let silence = AsyncStream<Never>.makeStream()
        var checksCredentials: Bool { true }
        func authenticate(_ client: ClientInfo, password: [UInt8]?) async -> AuthenticationResult {
            for await _ in silence.stream {}
            return .denied(.notAuthorized, why: "never")
        }
    }

    @Test func anAuthenticatorThatNeverAnswersIsCutOffAtTheConnectTimeout() throws {
        let harness = try Harness(authenticator: SilentAuthenticator()) { $0.connectTimeout = .seconds(10) }
        try harness.send(Self.connect())
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

    @Test func messageExpiryDropsStaleQueuedMessagesAndCountsDown() throws {
        // Was a wall-clock test with a 1.1 s sleep: here 1.1 s of the loop's clock pass in no time.
        let harness = try Harness()
        let away = harness.client
        try away.send(Self.connect("away", cleanStart: false, sessionExpiry: 60),
                      .subscribe(SubscribePacket(packetID: 1, subscriptions: [SubscriptionRequest(filter: "exp/#", qos: .atLeastOnce)])))
        _ = try away.received()
        away.drop()
        let publisher = try harness.connection(port: 40001)
        var short = MQTTProperties()
        short.messageExpiryInterval = 1
        var long = MQTTProperties()
        long.messageExpiryInterval = 100
        try publisher.send(Self.connect("p"),
                           .publish(PublishPacket(topic: "exp/short", payload: ByteBuffer(string: "short"), qos: .atLeastOnce,
                                                  packetID: 1, properties: short)),
                           .publish(PublishPacket(topic: "exp/long", payload: ByteBuffer(string: "long"), qos: .atLeastOnce,
                                                  packetID: 2, properties: long)))
        harness.advance(by: .milliseconds(1100))
        let back = try harness.connection(port: 40002)
        try back.send(Self.connect("away", cleanStart: false, sessionExpiry: 60))
        let delivered = Self.publishes(try back.received())
        #expect(delivered.map { String(buffer: $0.payload) } == ["long"])
        #expect(delivered.first?.properties.messageExpiryInterval == 98)
    }

    @Test func aDelayedWillGoesOutAtItsDelay() throws {
        let harness = try Harness()
        let watcher = try harness.connection(port: 40001)
        try watcher.send(Self.connect("watcher"),
                         .subscribe(SubscribePacket(packetID: 1, subscriptions: [SubscriptionRequest(filter: "will/#", qos: .atMostOnce)])))
        _ = try watcher.received()
        var willProperties = MQTTProperties()
        willProperties.willDelayInterval = 30
        var connect = ConnectPacket(version: .v5, clientID: "mortal", cleanStart: true, keepAlive: 60)
        connect.will = WillMessage(topic: "will/mortal", payload: ByteBuffer(string: "gone"), properties: willProperties)
        connect.properties.sessionExpiryInterval = 120
        try harness.client.send(.connect(connect))
        harness.client.drop()
        harness.advance(by: .seconds(29))
        #expect(Self.publishes(try watcher.received()).isEmpty)
        harness.advance(by: .seconds(2))
        #expect(Self.publishes(try watcher.received()).map(\.topic) == ["will/mortal"])
    }
}
