import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import NIOPosix
import Testing
import TestSupport

/// Malformed packets get the reason code and a disconnect; the broker keeps serving everyone else.
@Suite struct MalformedInputTests {
    @Test func malformedPublishGets0x81AndOthersAreUnaffected() async throws {
        let fixture = try await BrokerFixture.start()
        let bystander = try await fixture.client("bystander")
        _ = try await bystander.subscribe("ok")
        let bad = try await fixture.client("bad")
        // PUBLISH with QoS 3.
        try await bad.sendRaw([0x36, 0x05, 0, 1, 0x61, 0, 1])
        let reason = try await bad.events.first("DISCONNECT") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
        #expect(reason == .malformedPacket)
        try await waitUntil("bad closed") { !bad.isActive }
        try await bystander.publish("ok", "still here", qos: .atLeastOnce)
        #expect(try await bystander.messages.next(1).map(\.payloadString) == ["still here"])
        #expect(fixture.broker.stats.protocolErrors == 1)
        await fixture.stop()
    }

    @Test func dupOnQoS0Gets0x82() async throws {
        let fixture = try await BrokerFixture.start()
        let client = try await fixture.client("dup0")
        // PUBLISH, DUP=1, QoS 0, topic "a", no properties.
        try await client.sendRaw([0x38, 0x04, 0x00, 0x01, 0x61, 0x00])
        let reason = try await client.events.first("DISCONNECT") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
        #expect(reason == .protocolError)
        await fixture.stop()
    }

    @Test func oversizedPacketIsRefusedFromItsHeader() async throws {
        let fixture = try await BrokerFixture.start { $0.maxPacketSize = 1024 }
        let client = try await fixture.client("big")
        #expect(client.connack.properties.maximumPacketSize == 1024)
        try await client.send(.publish(PublishPacket(topic: "big", payload: ByteBuffer(repeating: 0x41, count: 4096))))
        let reason = try await client.events.first("DISCONNECT") { event -> ReasonCode? in
            if case .disconnected(let reason) = event { return reason }
            return nil
        }
        #expect(reason == .packetTooLarge)
        await fixture.stop()
    }

    @Test func unsupportedProtocolLevelGetsConnack1() async throws {
        let fixture = try await BrokerFixture.start()
        let answer = try await rawExchange(port: fixture.port,
                                           [0x10, 12, 0, 4, 0x4D, 0x51, 0x54, 0x54, 9, 0x02, 0, 60, 0, 0])
        #expect(answer == [0x20, 0x02, 0x00, 0x01])
        await fixture.stop()
    }

    @Test func socketThatNeverSendsConnectIsClosed() async throws {
        let fixture = try await BrokerFixture.start { $0.connectTimeout = .milliseconds(300) }
        let answer = try await rawExchange(port: fixture.port, [])
        #expect(answer == [])
        await fixture.stop()
    }

    /// Sends `bytes` on a fresh TCP connection and returns everything received until the broker closes it.
    func rawExchange(port: Int, _ bytes: [UInt8]) async throws -> [UInt8] {
        let received = LockedBox<[UInt8]>([])
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        if !bytes.isEmpty { try await channel.writeAndFlush(ByteBuffer(bytes: bytes)) }
        try await withTimeout("broker closes the connection", .seconds(15)) { try await channel.closeFuture.get() }
        return received.value
    }

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: LockedBox<[UInt8]>
        init(received: LockedBox<[UInt8]>) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).readableBytesView)
            received.withLock { $0 += bytes }
        }
    }
}
