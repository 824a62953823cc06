import MQTTCore
import NIOCore

/// Messages to the client: the inflight window, the queue behind it, redelivery, topic aliases.
extension SessionMachine {
    /// Takes one message for this client: sends it now, or queues it (offline, window full, socket full).
    mutating func deliver<Output: SessionOutput>(_ delivery: Delivery, now: NIODeadline, into out: inout Output) {
        guard !hasEnded else { return }
        if delivery.message.isExpired(at: now) { return }
        if checksDeliveries, !permissions.mayReceive(delivery.message.topic) { return }
        if pending.isEmpty, canSend(delivery, out) {
            transmit(delivery, now: now, into: &out)
        } else {
            enqueue(delivery, into: &out)
        }
    }

    private func canSend<Output: SessionOutput>(_ delivery: Delivery, _ out: Output) -> Bool {
        guard isAttached, out.canWrite else { return false }
        return delivery.qos == .atMostOnce || outbound.count < sendWindow
    }

    /// Queues within the session's bound. Over it, a queued QoS 0 message makes room first; if there is
    /// none, the new message is dropped, counted and logged: never silently, never below the bound.
    private mutating func enqueue<Output: SessionOutput>(_ delivery: Delivery, into out: inout Output) {
        let bound = broker.configuration.maxQueuedPerSession
        if pending.count >= bound {
            if let qos0 = pending.firstIndex(where: { $0.qos == .atMostOnce }) {
                pending.remove(at: qos0)
                out.perform(.count(.queued, -1))
                noteDropped("queue full (\(bound)): dropped the oldest QoS 0 message", into: &out)
            } else {
                noteDropped("queue full (\(bound)): dropped a QoS \(delivery.qos) message to \(delivery.message.topic)",
                            into: &out)
                return
            }
        }
        pending.append(delivery)
        out.perform(.count(.queued, 1))
        updateFlowControl(into: &out)
    }

    /// Congested while connected with a queue past the flow threshold; relieved below half of it.
    mutating func updateFlowControl<Output: SessionOutput>(into out: inout Output) {
        let threshold = broker.configuration.flowControlThreshold
        guard threshold > 0 else { return }
        if isCongested {
            if !isAttached || pending.count <= threshold / 2 {
                isCongested = false
                out.perform(.flow(.relieve))
                out.perform(.cancel(.flow))
            }
        } else if isAttached && pending.count >= threshold {
            isCongested = true
            out.perform(.flow(.congest))
            out.perform(.schedule(.flow, after: FlowControl.maximumHold))
        }
    }

    private mutating func noteDropped<Output: SessionOutput>(_ reason: String, into out: inout Output) {
        droppedCount += 1
        out.perform(.count(.publishDropped, 1))
        // One line per power of two keeps a flood of drops from flooding the log.
        if droppedCount & (droppedCount - 1) == 0 {
            out.perform(.log(.warning, "\(reason); \(droppedCount) dropped for this client so far"))
        }
    }

    /// Sends what the window and the socket allow, oldest first: after an acknowledgement, on attach, and
    /// when the socket becomes writable again.
    mutating func drainPending<Output: SessionOutput>(now: NIODeadline, into out: inout Output) {
        while let first = pending.first, canSend(first, out) {
            pending.removeFirst()
            out.perform(.count(.queued, -1))
            if first.message.isExpired(at: now) { continue }
            transmit(first, now: now, into: &out)
        }
        if isCongested { updateFlowControl(into: &out) }
    }

    private mutating func transmit<Output: SessionOutput>(_ delivery: Delivery, now: NIODeadline,
                                                          into out: inout Output) {
        var packetID: UInt16?
        if delivery.qos != .atMostOnce {
            packetID = allocatePacketID()
        }
        var packet = publishPacket(for: delivery, packetID: packetID, dup: false, now: now)
        if packet.encodedSize(version: version) > clientMaxPacketSize {
            // Too large for this client: discarded as if sent (§3.1.2.11.4).
            noteDropped("message to \(delivery.message.topic) exceeds the client's maximum packet size", into: &out)
            return
        }
        if let packetID {
            outbound[packetID] = OutboundMessage(delivery: delivery)
            out.perform(.count(.inflight, 1))
        }
        applyTopicAlias(to: &packet)
        out.write(.publish(packet))
        out.perform(.transmitted(delivery))
    }

    /// Resends everything unacknowledged after a reconnect: PUBLISH with DUP, or PUBREL (§4.4).
    mutating func resendInflight<Output: SessionOutput>(now: NIODeadline, into out: inout Output) {
        guard isAttached, !outbound.isEmpty else { return }
        for (packetID, entry) in outbound {
            if entry.released {
                out.write(.publishAck(PublishAckPacket(.pubrel, packetID: packetID)))
            } else {
                out.write(.publish(publishPacket(for: entry.delivery, packetID: packetID, dup: true,
                                                          now: now)))
            }
        }
    }

    private func publishPacket(for delivery: Delivery, packetID: UInt16?, dup: Bool,
                               now: NIODeadline) -> PublishPacket {
        let message = delivery.message
        var properties = MQTTProperties()
        if version.hasProperties {
            if message.properties != nil || message.expiresAt != nil {
                properties = message.outgoingProperties(now: now)
            }
            properties.subscriptionIdentifiers = delivery.subscriptionIdentifiers
        }
        return PublishPacket(topic: message.topic, payload: message.payload, qos: delivery.qos,
                             retain: delivery.retain, dup: dup, packetID: packetID, properties: properties)
    }

    /// Uses a topic alias when the client allows them (§3.3.2.3.4): the first message on a topic carries
    /// topic and alias, later ones the alias alone.
    private mutating func applyTopicAlias(to packet: inout PublishPacket) {
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

    private mutating func allocatePacketID() -> UInt16 {
        while outbound[nextPacketID] != nil {
            nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
        }
        let id = nextPacketID
        nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
        return id
    }
}
