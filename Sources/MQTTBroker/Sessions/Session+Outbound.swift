import MQTTCore
import NIOCore

/// Messages to the client: the inflight window, the queue behind it, redelivery, topic aliases.
extension Session {
    /// Takes one message for this client: sends it now, or queues it (offline, window full, socket full).
    func deliver(_ delivery: Delivery) {
        guard !ended else { return }
        if delivery.message.isExpired(at: loop.now) { return }
        if checksDeliveries, !permissions.mayReceive(delivery.message.topic) { return }
        if pending.isEmpty, canSend(delivery) {
            transmit(delivery)
        } else {
            enqueue(delivery)
        }
    }

    private func canSend(_ delivery: Delivery) -> Bool {
        guard let connection, !connection.isClosing, connection.isWritable,
              (outBuffer?.readableBytes ?? 0) < Self.outBufferLimit else { return false }
        return delivery.qos == .atMostOnce || outbound.count < sendWindow
    }

    /// Queues within the session's bound. Over it, a queued QoS 0 message makes room first; if there is
    /// none, the new message is dropped, counted and logged: never silently, never below the bound.
    private func enqueue(_ delivery: Delivery) {
        let bound = core.configuration.maxQueuedPerSession
        if pending.count >= bound {
            if let qos0 = pending.firstIndex(where: { $0.qos == .atMostOnce }) {
                pending.remove(at: qos0)
                core.stats.add(.queued, -1, lane: handle.loopIndex)
                noteDropped("queue full (\(bound)): dropped the oldest QoS 0 message")
            } else {
                noteDropped("queue full (\(bound)): dropped a QoS \(delivery.qos) message to \(delivery.message.topic)")
                return
            }
        }
        pending.append(delivery)
        core.stats.add(.queued, lane: handle.loopIndex)
        updateFlowControl()
    }

    /// Congested while connected with a queue past the flow threshold; relieved below half of it.
    func updateFlowControl() {
        let threshold = core.configuration.flowControlThreshold
        guard threshold > 0 else { return }
        if handle.isCongested {
            if connection == nil || pending.count <= threshold / 2 {
                handle.relieveFlow()
                flowTimer?.cancel()
                flowTimer = nil
            }
        } else if connection != nil && pending.count >= threshold {
            handle.congestFlow()
            scheduleFlowRelease()
        }
    }

    /// Parked acknowledgements never wait longer than `FlowControl.maximumHold`.
    private func scheduleFlowRelease() {
        flowTimer = loop.assumeIsolated().scheduleTask(in: FlowControl.maximumHold) { [self] in
            handle.releaseParkedAcks()
            if handle.isCongested { scheduleFlowRelease() }
        }
    }

    func noteDropped(_ reason: String) {
        droppedCount += 1
        core.stats.add(.publishDropped, lane: handle.loopIndex)
        // One line per power of two keeps a flood of drops from flooding the log.
        if droppedCount & (droppedCount - 1) == 0 {
            logger.warning("\(reason); \(droppedCount) dropped for this client so far")
        }
    }

    /// Sends what the window and the socket allow, oldest first.
    func drainPending() {
        while let first = pending.first, canSend(first) {
            pending.removeFirst()
            core.stats.add(.queued, -1, lane: handle.loopIndex)
            if first.message.isExpired(at: loop.now) { continue }
            transmit(first)
        }
        if handle.isCongested { updateFlowControl() }
    }

    /// The socket became writable again.
    func writabilityChanged() {
        drainPending()
        flushIfNeeded()
    }

    private func transmit(_ delivery: Delivery) {
        guard connection != nil else { return }
        var packetID: UInt16?
        if delivery.qos != .atMostOnce {
            packetID = allocatePacketID()
        }
        var packet = publishPacket(for: delivery, packetID: packetID, dup: false)
        if packet.encodedSize(version: version) > clientMaxPacketSize {
            // Too large for this client: discarded as if sent (§3.1.2.11.4).
            noteDropped("message to \(delivery.message.topic) exceeds the client's maximum packet size")
            return
        }
        if let packetID {
            outbound[packetID] = OutboundMessage(delivery: delivery)
            core.stats.add(.inflight, lane: handle.loopIndex)
        }
        applyTopicAlias(to: &packet)
        send(.publish(packet))
        core.stats.add(.publishSent, lane: handle.loopIndex)
        core.emit(.messageDelivered(clientID: clientID, delivery.message))
    }

    /// Resends everything unacknowledged after a reconnect: PUBLISH with DUP, or PUBREL (§4.4).
    func resendInflight() {
        guard connection != nil, !outbound.isEmpty else { return }
        for (packetID, entry) in outbound {
            if entry.released {
                send(.publishAck(PublishAckPacket(.pubrel, packetID: packetID)))
            } else {
                send(.publish(publishPacket(for: entry.delivery, packetID: packetID, dup: true)))
            }
        }
    }

    private func publishPacket(for delivery: Delivery, packetID: UInt16?, dup: Bool) -> PublishPacket {
        let message = delivery.message
        var properties = MQTTProperties()
        if version.hasProperties {
            if message.properties != nil || message.expiresAt != nil {
                properties = message.outgoingProperties(now: loop.now)
            }
            properties.subscriptionIdentifiers = delivery.subscriptionIdentifiers
        }
        return PublishPacket(topic: message.topic, payload: message.payload, qos: delivery.qos,
                             retain: delivery.retain, dup: dup, packetID: packetID, properties: properties)
    }

    /// Uses a topic alias when the client allows them (§3.3.2.3.4): the first message on a topic carries
    /// topic and alias, later ones the alias alone.
    private func applyTopicAlias(to packet: inout PublishPacket) {
        guard clientTopicAliasMaximum > 0 else { return }
        if let alias = outboundAliases[packet.topic] {
            packet.properties.topicAlias = alias
            packet.topic = ""
        } else if nextOutboundAlias <= clientTopicAliasMaximum {
            outboundAliases[packet.topic] = nextOutboundAlias
            packet.properties.topicAlias = nextOutboundAlias
            nextOutboundAlias += 1
        }
    }

    private func allocatePacketID() -> UInt16 {
        while outbound[nextPacketID] != nil {
            nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
        }
        let id = nextPacketID
        nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
        return id
    }
}
