import MQTTCore
import NIOCore

/// Packets from the client, after CONNECT.
extension SessionMachine {
    mutating func receive<Output: SessionOutput>(_ packet: MQTTPacket, now: NIODeadline, into out: inout Output) {
        guard isAttached, !hasEnded else { return }
        switch packet {
        case .publish(let publish): receivePublish(publish, now: now, into: &out)
        case .publishAck(let ack): receiveAck(ack, now: now, into: &out)
        case .subscribe(let subscribe): receiveSubscribe(subscribe, into: &out)
        case .unsubscribe(let unsubscribe): receiveUnsubscribe(unsubscribe, into: &out)
        case .pingreq:
            out.write(.pingresp)
        case .disconnect(let disconnect): receiveDisconnect(disconnect, into: &out)
        case .connect:
            violate(.protocolError, "second CONNECT on one connection", .connect, into: &out)
        case .auth:
            violate(.protocolError, "AUTH without an authentication method in CONNECT", .auth, into: &out)
        case .connack, .suback, .unsuback, .pingresp:
            violate(.protocolError, "\(packet.packetType) is sent by servers only", packet.packetType, into: &out)
        }
    }

    /// A protocol violation: logged with the client id, DISCONNECT with `reason` (5.0), connection closed,
    /// the will published (§4.13).
    mutating func violate<Output: SessionOutput>(_ reason: ReasonCode, _ message: String, _ type: PacketType,
                                                 into out: inout Output) {
        guard isAttached else { return }
        out.perform(.violation(reason, message, type))
        connectionLost(reason: "\(type): \(message)", publishWill: true, ending: .end(reason), into: &out)
    }

    // MARK: - PUBLISH

    private mutating func receivePublish<Output: SessionOutput>(_ publish: PublishPacket, now: NIODeadline,
                                                                into out: inout Output) {
        var topic = publish.topic
        if let alias = publish.properties.topicAlias {
            guard alias <= broker.configuration.topicAliasMaximum else {
                return violate(.topicAliasInvalid, "topic alias \(alias) above maximum", .publish, into: &out)
            }
            if topic.isEmpty {
                guard let known = inboundAliases[alias] else {
                    return violate(.protocolError, "unknown topic alias \(alias)", .publish, into: &out)
                }
                topic = known
            } else {
                inboundAliases[alias] = topic
            }
        }
        guard TopicName(topic) != nil else {
            return violate(.topicNameInvalid, "invalid topic name \"\(topic)\"", .publish, into: &out)
        }
        if publish.retain && !broker.configuration.retainAvailable {
            return violate(.retainNotSupported, "retain is not available", .publish, into: &out)
        }
        if publish.qos == .exactlyOnce, let id = publish.packetID, awaitingRelease.contains(id) {
            // A retransmission of a message already routed: acknowledge again, route nothing (§4.3.3).
            return out.write(.publishAck(PublishAckPacket(.pubrec, packetID: id)))
        }
        let receiveMaximum = broker.configuration.receiveMaximum
        if publish.qos == .exactlyOnce && awaitingRelease.count >= Int(receiveMaximum) {
            return violate(.receiveMaximumExceeded, "more than \(receiveMaximum) QoS 2 publishes awaiting PUBREL",
                           .publish, into: &out)
        }
        guard mayPublish(topic) else {
            return refusePublish(publish, topic: topic, into: &out)
        }
        out.perform(.count(.publishReceived, 1))
        var acknowledgement: (kind: PublishAckPacket.Kind, packetID: UInt16)?
        if let id = publish.packetID {
            if publish.qos == .exactlyOnce { awaitingRelease.insert(id) }
            acknowledgement = (publish.qos == .atLeastOnce ? .puback : .pubrec, id)
        }
        let expiresAt = publish.properties.messageExpiryInterval.map { now + .seconds(Int64($0)) }
        let properties = version.hasProperties ? BrokerMessage.forwardedProperties(of: publish.properties) : nil
        out.route(InboundPublish(topic: topic, payload: publish.payload, qos: publish.qos, retain: publish.retain,
                                 properties: properties, expiresAt: expiresAt, acknowledgement: acknowledgement))
    }

    /// The acknowledgement of a routed publish: 5.0 says when no subscriber matched.
    func acknowledgement(_ kind: PublishAckPacket.Kind, packetID: UInt16, sessionsReached: Int) -> PublishAckPacket {
        let reason: ReasonCode = sessionsReached == 0 && version.hasProperties ? .noMatchingSubscribers : .success
        return PublishAckPacket(kind, packetID: packetID, reason: reason)
    }

    /// An ACL denial: 5.0 is told 0x87 in PUBACK/PUBREC; 3.1.1 has no way to say no, so the message is
    /// acknowledged and dropped. Either way nothing is routed, and the log says so.
    private mutating func refusePublish<Output: SessionOutput>(_ publish: PublishPacket, topic: String,
                                                               into out: inout Output) {
        out.perform(.log(.warning, "PUBLISH to \(topic) denied by ACL for user \(client.username ?? "-")"))
        guard let id = publish.packetID else { return }
        let reason: ReasonCode = version.hasProperties ? .notAuthorized : .success
        if publish.qos == .exactlyOnce {
            // The flow still ends with PUBREL/PUBCOMP on 3.1.1; a refused PUBREC ends it on 5.0.
            if !version.hasProperties { awaitingRelease.insert(id) }
            out.write(.publishAck(PublishAckPacket(.pubrec, packetID: id, reason: reason)))
        } else {
            out.write(.publishAck(PublishAckPacket(.puback, packetID: id, reason: reason)))
        }
    }

    // MARK: - Acknowledgements

    private mutating func receiveAck<Output: SessionOutput>(_ ack: PublishAckPacket, now: NIODeadline,
                                                            into out: inout Output) {
        switch ack.kind {
        case .puback:
            guard let entry = outbound[ack.packetID], entry.delivery.qos == .atLeastOnce else {
                return out.perform(.log(.debug, "PUBACK for unknown packet id \(ack.packetID)"))
            }
            // A 5.0 PUBACK with a failure code ends the exchange but acknowledges nothing (§3.4.2.1).
            complete(ack.packetID, acked: ack.reason.isFailure ? nil : entry.delivery.message, now: now, into: &out)
        case .pubrec:
            guard let entry = outbound[ack.packetID], entry.delivery.qos == .exactlyOnce, !entry.released else {
                if version.hasProperties {
                    out.write(.publishAck(PublishAckPacket(.pubrel, packetID: ack.packetID,
                                                                    reason: .packetIdentifierNotFound)))
                }
                return
            }
            if ack.reason.isFailure {
                // The receiver refused it (5.0): the exchange ends here (§4.3.3), and nothing was acknowledged,
                // so a `queue/` message stays for the next subscriber.
                return complete(ack.packetID, acked: nil, now: now, into: &out)
            }
            out.perform(.acked(entry.delivery.message))
            outbound[ack.packetID]?.released = true
            out.write(.publishAck(PublishAckPacket(.pubrel, packetID: ack.packetID)))
        case .pubrel:
            let known = awaitingRelease.remove(ack.packetID) != nil
            let reason: ReasonCode = known || !version.hasProperties ? .success : .packetIdentifierNotFound
            out.write(.publishAck(PublishAckPacket(.pubcomp, packetID: ack.packetID, reason: reason)))
        case .pubcomp:
            guard let entry = outbound[ack.packetID], entry.released else {
                return out.perform(.log(.debug, "PUBCOMP for unknown packet id \(ack.packetID)"))
            }
            complete(ack.packetID, acked: nil, now: now, into: &out)
        }
    }

    /// Frees an inflight slot and sends what was waiting for it.
    private mutating func complete<Output: SessionOutput>(_ packetID: UInt16, acked: BrokerMessage?,
                                                          now: NIODeadline, into out: inout Output) {
        outbound.removeValue(forKey: packetID)
        out.perform(.count(.inflight, -1))
        if let acked { out.perform(.acked(acked)) }
        drainPending(now: now, into: &out)
    }

    // MARK: - DISCONNECT

    private mutating func receiveDisconnect<Output: SessionOutput>(_ disconnect: DisconnectPacket,
                                                                   into out: inout Output) {
        if let requested = disconnect.properties.sessionExpiryInterval {
            // Turning expiry on at DISCONNECT after connecting with 0 is a protocol error (§3.14.2.2.2).
            if expiryInterval == 0 && requested != 0 {
                return violate(.protocolError, "session expiry set at DISCONNECT after 0 at CONNECT", .disconnect,
                               into: &out)
            }
            expiryInterval = min(requested, broker.configuration.maxSessionExpiry)
        }
        let withWill = disconnect.reason == .disconnectWithWill
        connectionLost(reason: "client sent DISCONNECT (\(disconnect.reason))", publishWill: withWill,
                       ending: .close, into: &out)
    }
}
