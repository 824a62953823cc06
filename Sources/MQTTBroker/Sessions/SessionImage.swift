import MQTTCore
import NIOCore

/// A session as bytes, to move it to another node of a cluster with its client: subscriptions, the QoS 1/2
/// messages in flight (with their packet ids, so the client's acknowledgements still match) and queued,
/// and the QoS 2 packet ids waiting for PUBREL.
///
/// Layout, big-endian: version `1`, next packet id (u16); subscriptions (u32 count; each the filter as
/// subscribed, the SUBSCRIBE options byte, the identifier as u32, 0 for none); in flight (u32 count; each
/// packet id u16, released u8, delivery); queued (u32 count; deliveries); awaiting release (u32 count; u16
/// each). A delivery is its message (`BrokerMessage.write`), QoS u8, retain u8, identifiers (u16 count,
/// u32 each).
struct SessionImage {
    static let version: UInt8 = 1

    var nextPacketID: UInt16
    var subscriptions: [SessionSubscription]
    var outbound: [(UInt16, OutboundMessage)]
    var pending: [Delivery]
    var awaitingRelease: [UInt16]

    func encoded(now: NIODeadline) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.version)
        buffer.writeInteger(nextPacketID)
        buffer.writeInteger(UInt32(subscriptions.count))
        for subscription in subscriptions {
            buffer.writeMQTTString(subscription.target.description)
            buffer.writeInteger(subscription.options.optionsByte)
            buffer.writeInteger(UInt32(clamping: subscription.identifier ?? 0))
        }
        buffer.writeInteger(UInt32(outbound.count))
        for (packetID, message) in outbound {
            buffer.writeInteger(packetID)
            buffer.writeInteger(UInt8(message.released ? 1 : 0))
            Self.write(message.delivery, to: &buffer, now: now)
        }
        buffer.writeInteger(UInt32(pending.count))
        for delivery in pending { Self.write(delivery, to: &buffer, now: now) }
        buffer.writeInteger(UInt32(awaitingRelease.count))
        for packetID in awaitingRelease { buffer.writeInteger(packetID) }
        return buffer
    }

    init(nextPacketID: UInt16, subscriptions: [SessionSubscription], outbound: [(UInt16, OutboundMessage)],
         pending: [Delivery], awaitingRelease: [UInt16]) {
        self.nextPacketID = nextPacketID
        self.subscriptions = subscriptions
        self.outbound = outbound
        self.pending = pending
        self.awaitingRelease = awaitingRelease
    }

    /// Reads an image written by `encoded`; throws `WireError` naming what is wrong.
    init(decoding bytes: ByteBuffer, now: NIODeadline) throws {
        var reader = PacketReader(body: bytes, packetType: .connect)
        let version = try reader.readByte("version")
        guard version == Self.version else { throw WireError("session image version \(version), expected \(Self.version)") }
        nextPacketID = try reader.readUInt16("next packet id")
        subscriptions = []
        for _ in 0..<(try reader.readUInt32("subscription count")) {
            let filter = try reader.readString("filter")
            guard let target = SubscriptionTarget(filter) else { throw WireError("invalid filter \(filter)") }
            let options = try reader.readByte("options")
            guard let qos = QoS(rawValue: options & 0b11),
                  let handling = RetainHandling(rawValue: (options >> 4) & 0b11) else {
                throw WireError("invalid options 0x\(String(options, radix: 16)) of \(filter)")
            }
            let identifier = Int(try reader.readUInt32("identifier"))
            let request = SubscriptionRequest(filter: filter, qos: qos, noLocal: options & 0x04 != 0,
                                              retainAsPublished: options & 0x08 != 0, retainHandling: handling)
            subscriptions.append(SessionSubscription(target: target, options: request,
                                                     identifier: identifier == 0 ? nil : identifier))
        }
        outbound = []
        for _ in 0..<(try reader.readUInt32("in-flight count")) {
            let packetID = try reader.readUInt16("packet id")
            let released = try reader.readByte("released") != 0
            outbound.append((packetID, OutboundMessage(delivery: try Self.readDelivery(&reader, now: now), released: released)))
        }
        pending = []
        for _ in 0..<(try reader.readUInt32("queued count")) { pending.append(try Self.readDelivery(&reader, now: now)) }
        awaitingRelease = []
        for _ in 0..<(try reader.readUInt32("awaiting release count")) {
            awaitingRelease.append(try reader.readUInt16("packet id"))
        }
        try reader.expectEnd()
    }

    private static func write(_ delivery: Delivery, to buffer: inout ByteBuffer, now: NIODeadline) {
        delivery.message.write(to: &buffer, now: now)
        buffer.writeInteger(delivery.qos.rawValue)
        buffer.writeInteger(UInt8(delivery.retain ? 1 : 0))
        buffer.writeInteger(UInt16(clamping: delivery.subscriptionIdentifiers.count))
        for identifier in delivery.subscriptionIdentifiers.prefix(Int(UInt16.max)) {
            buffer.writeInteger(UInt32(clamping: identifier))
        }
    }

    private static func readDelivery(_ reader: inout PacketReader, now: NIODeadline) throws -> Delivery {
        let message = try BrokerMessage.read(from: &reader, now: now)
        guard let qos = QoS(rawValue: try reader.readByte("delivery QoS")) else { throw WireError("delivery QoS 3") }
        let retain = try reader.readByte("retain") != 0
        var identifiers: [Int] = []
        for _ in 0..<(try reader.readUInt16("identifier count")) {
            identifiers.append(Int(try reader.readUInt32("identifier")))
        }
        return Delivery(message: message, qos: qos, retain: retain, subscriptionIdentifiers: identifiers)
    }
}

extension SessionMachine {
    /// What moves with the client to another node.
    var image: SessionImage {
        SessionImage(nextPacketID: nextPacketID, subscriptions: Array(subscriptions.values),
                     outbound: outbound.map { ($0.key, $0.value) }, pending: Array(pending),
                     awaitingRelease: Array(awaitingRelease))
    }

    /// Takes over a session another node handed over, before the client's connection attaches (which
    /// then resends what was in flight and drains the queue). Subscriptions are routed here from now on.
    mutating func restore<Output: SessionOutput>(_ image: SessionImage, into out: inout Output) {
        nextPacketID = image.nextPacketID
        for subscription in image.subscriptions {
            let key = subscription.target.description
            if subscriptions.updateValue(subscription, forKey: key) == nil { out.perform(.count(.subscriptions, 1)) }
            out.perform(.addRoute(subscription))
        }
        for (packetID, message) in image.outbound where outbound[packetID] == nil {
            outbound[packetID] = message
            out.perform(.count(.inflight, 1))
        }
        pending.append(contentsOf: image.pending)
        out.perform(.count(.queued, image.pending.count))
        awaitingRelease.formUnion(image.awaitingRelease)
    }
}
