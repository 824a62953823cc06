import MQTTCore
import NIOCore

/// Packets from the client, after CONNECT.
extension Session {
    func handle(_ packet: MQTTPacket, from source: ClientConnection) {
        // A packet that was in flight from a connection already replaced is dropped.
        guard source === connection, !ended else { return }
        switch packet {
        case .publish(let publish): receivePublish(publish)
        case .publishAck(let ack): receiveAck(ack)
        case .subscribe(let subscribe): receiveSubscribe(subscribe)
        case .unsubscribe(let unsubscribe): receiveUnsubscribe(unsubscribe)
        case .pingreq:
            send(.pingresp)
        case .disconnect(let disconnect): receiveDisconnect(disconnect, from: source)
        case .connect:
            violate(.protocolError, "second CONNECT on one connection", .connect)
        case .auth:
            violate(.protocolError, "AUTH without an authentication method in CONNECT", .auth)
        case .connack, .suback, .unsuback, .pingresp:
            violate(.protocolError, "\(packet.packetType) is sent by servers only", packet.packetType)
        }
    }

    /// A protocol violation: logged with the client id, DISCONNECT with `reason` (5.0), connection closed,
    /// the will published (§4.13).
    func violate(_ reason: ReasonCode, _ message: String, _ type: PacketType) {
        guard let connection else { return }
        core.stats.add(.protocolErrors, lane: handle.loopIndex)
        logger.warning("protocol violation: \(type): \(message) (\(reason))", metadata: ["packet": "\(type)"])
        connectionLost(connection, reason: "\(type): \(message)", publishWill: true)
        connection.end(reason: reason)
    }

    // MARK: - PUBLISH

    private func receivePublish(_ publish: PublishPacket) {
        guard connection != nil else { return }
        var topic = publish.topic
        if let alias = publish.properties.topicAlias {
            guard alias <= core.configuration.topicAliasMaximum else {
                return violate(.topicAliasInvalid, "topic alias \(alias) above maximum", .publish)
            }
            if topic.isEmpty {
                guard let known = inboundAliases[alias] else {
                    return violate(.protocolError, "unknown topic alias \(alias)", .publish)
                }
                topic = known
            } else {
                inboundAliases[alias] = topic
            }
        }
        guard TopicName(topic) != nil else {
            return violate(.topicNameInvalid, "invalid topic name \"\(topic)\"", .publish)
        }
        if publish.retain && !core.configuration.retainAvailable {
            return violate(.retainNotSupported, "retain is not available", .publish)
        }
        if publish.qos == .exactlyOnce, let id = publish.packetID, awaitingRelease.contains(id) {
            // A retransmission of a message already routed: acknowledge again, route nothing (§4.3.3).
            return send(.publishAck(PublishAckPacket(.pubrec, packetID: id)))
        }
        if publish.qos == .exactlyOnce && awaitingRelease.count >= Int(core.configuration.receiveMaximum) {
            return violate(.receiveMaximumExceeded,
                           "more than \(core.configuration.receiveMaximum) QoS 2 publishes awaiting PUBREL", .publish)
        }
        guard mayPublish(topic) else {
            return refusePublish(publish, topic: topic)
        }
        core.stats.add(.publishReceived, lane: handle.loopIndex)
        let expiresAt = publish.properties.messageExpiryInterval.map {
            loop.now + .seconds(Int64($0))
        }
        let message = core.makeMessage(topic: topic, payload: publish.payload, qos: publish.qos,
                                       retain: publish.retain, publisher: clientID,
                                       properties: version.hasProperties
                                           ? BrokerMessage.forwardedProperties(of: publish.properties) : nil,
                                       expiresAt: expiresAt, lane: handle.loopIndex)
        let routed = core.publish(message, from: handle)
        guard let id = publish.packetID, let connection else { return }
        let reason: ReasonCode = routed.sessions == 0 && version.hasProperties ? .noMatchingSubscribers : .success
        if publish.qos == .exactlyOnce { awaitingRelease.insert(id) }
        let ack = PublishAckPacket(publish.qos == .atLeastOnce ? .puback : .pubrec, packetID: id, reason: reason)
        // A subscriber backing up holds the acknowledgement back: the publisher's window paces it.
        if let congested = routed.congested,
           congested.parkAck(FlowControl.ParkedAck(publisher: handle, connection: connection, packet: ack)) {
            return
        }
        send(.publishAck(ack))
    }

    /// An ACL denial: 5.0 is told 0x87 in PUBACK/PUBREC; 3.1.1 has no way to say no, so the message is
    /// acknowledged and dropped. Either way nothing is routed, and the log says so.
    private func refusePublish(_ publish: PublishPacket, topic: String) {
        logger.warning("PUBLISH to \(topic) denied by ACL", metadata: ["user": "\(client.username ?? "-")"])
        guard let id = publish.packetID else { return }
        let reason: ReasonCode = version.hasProperties ? .notAuthorized : .success
        if publish.qos == .exactlyOnce {
            // The flow still ends with PUBREL/PUBCOMP on 3.1.1; a refused PUBREC ends it on 5.0.
            if !version.hasProperties { awaitingRelease.insert(id) }
            send(.publishAck(PublishAckPacket(.pubrec, packetID: id, reason: reason)))
        } else {
            send(.publishAck(PublishAckPacket(.puback, packetID: id, reason: reason)))
        }
    }

    // MARK: - Acknowledgements

    private func receiveAck(_ ack: PublishAckPacket) {
        guard connection != nil else { return }
        switch ack.kind {
        case .puback:
            guard let entry = outbound[ack.packetID], entry.delivery.qos == .atLeastOnce else {
                logger.debug("PUBACK for unknown packet id \(ack.packetID)")
                return
            }
            // A 5.0 PUBACK with a failure code ends the exchange but acknowledges nothing (§3.4.2.1).
            complete(ack.packetID, acked: ack.reason.isFailure ? nil : entry.delivery.message)
        case .pubrec:
            guard let entry = outbound[ack.packetID], entry.delivery.qos == .exactlyOnce, !entry.released else {
                if version.hasProperties {
                    send(.publishAck(PublishAckPacket(.pubrel, packetID: ack.packetID,
                                                                  reason: .packetIdentifierNotFound)))
                }
                return
            }
            if ack.reason.isFailure {
                // The receiver refused it (5.0): the exchange ends here (§4.3.3), and nothing was acknowledged,
                // so a `queue/` message stays for the next subscriber.
                complete(ack.packetID, acked: nil)
                return
            }
            core.emit(.messageAcked(clientID: clientID, entry.delivery.message))
            outbound[ack.packetID]?.released = true
            send(.publishAck(PublishAckPacket(.pubrel, packetID: ack.packetID)))
        case .pubrel:
            let known = awaitingRelease.remove(ack.packetID) != nil
            let reason: ReasonCode = known || !version.hasProperties ? .success : .packetIdentifierNotFound
            send(.publishAck(PublishAckPacket(.pubcomp, packetID: ack.packetID, reason: reason)))
        case .pubcomp:
            guard let entry = outbound[ack.packetID], entry.released else {
                logger.debug("PUBCOMP for unknown packet id \(ack.packetID)")
                return
            }
            complete(ack.packetID, acked: nil)
        }
    }

    /// Frees an inflight slot and sends what was waiting for it.
    private func complete(_ packetID: UInt16, acked: BrokerMessage?) {
        outbound.removeValue(forKey: packetID)
        core.stats.add(.inflight, -1, lane: handle.loopIndex)
        if let acked { core.emit(.messageAcked(clientID: clientID, acked)) }
        drainPending()
    }

    // MARK: - DISCONNECT

    private func receiveDisconnect(_ disconnect: DisconnectPacket, from source: ClientConnection) {
        if let requested = disconnect.properties.sessionExpiryInterval {
            // Turning expiry on at DISCONNECT after connecting with 0 is a protocol error (§3.14.2.2.2).
            if expiryInterval == 0 && requested != 0 {
                return violate(.protocolError, "session expiry set at DISCONNECT after 0 at CONNECT", .disconnect)
            }
            expiryInterval = min(requested, core.configuration.maxSessionExpiry)
        }
        let withWill = disconnect.reason == .disconnectWithWill
        // Detach before closing: closing runs channelInactive at once, which must find nothing to do.
        connectionLost(source, reason: "client sent DISCONNECT (\(disconnect.reason))", publishWill: withWill)
        source.close()
    }
}
