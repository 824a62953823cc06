import MQTTBroker
import MQTTCore
@testable import MQTTCluster
import NIOCore
import Testing

/// The bytes between nodes: every field survives, and a damaged frame is refused whole, saying where.
@Suite struct ForwardFrameTests {
    private func message(_ topic: String, _ payload: String, qos: QoS = .atLeastOnce, retain: Bool = false,
                         publisher: String? = "device-1", properties: MQTTProperties? = nil,
                         expiresAt: NIODeadline? = nil) -> BrokerMessage {
        BrokerMessage(id: MessageID("id-\(topic)"), topic: topic, payload: ByteBuffer(string: payload), qos: qos,
                      retain: retain, publisher: publisher, properties: properties, expiresAt: expiresAt,
                      timestampMillis: 1_733_000_000_123)
    }

    @Test func everyFieldCrossesInOrder() throws {
        var properties = MQTTProperties()
        properties.contentType = "text/plain"
        properties.responseTopic = "reply/here"
        properties.userProperties = [UserProperty("k", "v")]
        let now = NIODeadline.now()
        let sent = [
            message("a/b", "one"),
            message("设备/温度", "two", qos: .exactlyOnce, retain: true, publisher: nil, properties: properties,
                    expiresAt: now + .seconds(30)),
            message("c", "", qos: .atMostOnce),
        ]
        let frame = ForwardFrame.encode(sent.map { PeerMessage(message: $0) }, now: now)
        let received = try ForwardFrame.decode(frame, now: now).map(\.message)
        #expect(received.map(\.topic) == ["a/b", "设备/温度", "c"])
        #expect(received.map { String(buffer: $0.payload) } == ["one", "two", ""])
        #expect(received.map(\.qos) == [.atLeastOnce, .exactlyOnce, .atMostOnce])
        #expect(received.map(\.retain) == [false, true, false])
        #expect(received.map(\.publisher) == ["device-1", nil, "device-1"])
        #expect(received.map(\.id.description) == ["id-a/b", "id-设备/温度", "id-c"])
        #expect(received.allSatisfy { $0.timestampMillis == 1_733_000_000_123 })
        #expect(received[1].properties == properties)
        #expect(received[1].expiresAt == now + .seconds(30))
        #expect(received[0].expiresAt == nil && received[0].properties == nil)
    }

    @Test func aBinaryPayloadIsKeptByteForByte() throws {
        let bytes = (0...255).map(UInt8.init)
        let sent = BrokerMessage(id: MessageID("x"), topic: "bin", payload: ByteBuffer(bytes: bytes), qos: .atMostOnce,
                                 retain: false, publisher: nil, timestampMillis: 0)
        let received = try ForwardFrame.decode(ForwardFrame.encode([PeerMessage(message: sent)]))
        #expect(received.first.map { Array($0.message.payload.readableBytesView) } == bytes)
    }

    @Test func theSharedGroupsAMessageIsServedToTravelWithIt() throws {
        let groups: Set<String> = ["$share/workers/jobs/+", "$share/audit/#"]
        let frame = ForwardFrame.encode([PeerMessage(message: message("jobs/1", "j"), sharedGroups: groups),
                                         PeerMessage(message: message("jobs/2", "k"))])
        let received = try ForwardFrame.decode(frame)
        #expect(received.map(\.sharedGroups) == [groups, []])
    }

    @Test func aDamagedFrameIsRefusedNamingTheMessage() throws {
        let frame = ForwardFrame.encode([PeerMessage(message: message("a", "one")), PeerMessage(message: message("b", "two"))])
        // Cut inside the second message's payload (the last byte is its empty list of shared groups).
        let cut = frame.getSlice(at: frame.readerIndex, length: frame.readableBytes - 2) ?? ByteBuffer()
        #expect {
            try ForwardFrame.decode(cut)
        } throws: { error in
            (error as? ForwardFrameError)?.index == 1 && "\(error)".contains("payload")
        }
        var wrongVersion = frame
        wrongVersion.setInteger(UInt8(9), at: wrongVersion.readerIndex)
        #expect {
            try ForwardFrame.decode(wrongVersion)
        } throws: { error in
            "\(error)" == "frame header: version 9, expected 2"
        }
        #expect(throws: ForwardFrameError.self) { try ForwardFrame.decode(ByteBuffer()) }
    }

    @Test func qosThreeIsRefused() throws {
        var frame = ForwardFrame.encode([PeerMessage(message: message("a", "one"))])
        frame.setInteger(UInt8(3), at: frame.readerIndex + 1)
        #expect {
            try ForwardFrame.decode(frame)
        } throws: { error in
            "\(error)" == "message 0: QoS 3"
        }
    }
}

/// The writer sends a node's messages of many ticks as one frame, in order.
@Suite struct FrameMergeTests {
    @Test func framesForOneNodeBecomeOneInOrder() throws {
        func frame(_ node: String, _ payloads: [String]) -> OutgoingFrame {
            let messages = payloads.map {
                PeerMessage(message: BrokerMessage(id: MessageID($0), topic: "t", payload: ByteBuffer(string: $0),
                                                   qos: .atLeastOnce, retain: false, publisher: nil, timestampMillis: 0))
            }
            return OutgoingFrame(node: node, bytes: ForwardFrame.encode(messages), messages: payloads.count)
        }
        let merged = ClusterWriter.merged([frame("b", ["1", "2"]), frame("c", ["x"]), frame("b", ["3"]), frame("c", ["y"])])
        #expect(merged.map(\.node) == ["b", "c"])
        #expect(merged.map(\.messages) == [3, 2])
        let b = try ForwardFrame.decode(merged[0].bytes).map { String(buffer: $0.message.payload) }
        #expect(b == ["1", "2", "3"])
        let c = try ForwardFrame.decode(merged[1].bytes).map { String(buffer: $0.message.payload) }
        #expect(c == ["x", "y"])
    }
}
