import Logging
import MQTTCore
import NIOCore

/// The machine's output in the broker: performs each output on the session at once, except those that may
/// run the machine again (routing, the will, retained messages), which wait in order until the input returns.
struct SessionEffects: SessionOutput {
    unowned(unsafe) let session: Session
    /// The connection an `attach` input is attaching.
    let incoming: ClientConnection?
    fileprivate(set) var deferred = DeferredActions()

    var canWrite: Bool { session.canWrite }

    func write(_ packet: MQTTPacket) {
        session.send(packet)
    }

    mutating func route(_ publish: InboundPublish) {
        deferred.append(.route(publish))
    }

    mutating func perform(_ action: SessionAction) {
        switch action {
        case .publishWill(let will): deferred.append(.will(will))
        case .sendRetained(let subscription): deferred.append(.retained(subscription))
        default: session.perform(action, incoming: incoming)
        }
    }
}

/// Outputs put off until the machine returns; the first is kept inline, as an inbound PUBLISH (one route)
/// is the common case and should not allocate.
struct DeferredActions {
    enum Deferred {
        case route(InboundPublish)
        case will(WillMessage)
        case retained(SessionSubscription)
    }

    private var first: Deferred?
    private var more: [Deferred] = []

    mutating func append(_ deferred: Deferred) {
        if first == nil { first = deferred } else { more.append(deferred) }
    }

    func forEach(_ body: (Deferred) -> Void) {
        guard let first else { return }
        body(first)
        more.forEach(body)
    }
}

extension Session {
    /// Carries out one action. Must not touch `machine`: the machine is still running the input.
    fileprivate func perform(_ action: SessionAction, incoming: ClientConnection?) {
        let lane = handle.loopIndex
        switch action {
        case .attach:
            connection = incoming
            handle.isConnected = true
            core.stats.add(.connectedClients, lane: lane)
        case .detach(let reason, let ending):
            guard let lost = connection else { return }
            dropHolds()
            flushIfNeeded()
            connection = nil
            handle.isConnected = false
            core.stats.add(.connectedClients, -1, lane: lane)
            logger.debug("disconnected: \(reason)")
            switch ending {
            case .none: break
            case .close: lost.close()
            case .end(let reason): lost.end(reason: reason)
            }
        case .transmitted(let delivery):
            core.stats.add(.publishSent, lane: lane)
            core.emit(.messageDelivered(clientID: handle.clientID, delivery.message), lane: lane)
        case .acked(let message):
            core.emit(.messageAcked(clientID: handle.clientID, message), lane: lane)
        case .addRoute(let subscription):
            let options = subscription.options
            let announced = core.addRoute(subscription.target, route: Route(subscriber: handle, qos: options.qos,
                                                                            noLocal: options.noLocal,
                                                                            retainAsPublished: options.retainAsPublished,
                                                                            identifier: subscription.identifier))
            if announced, connection != nil { holdUntilAnnounced() }
        case .removeRoute(let target):
            core.removeRoute(target, subscriber: handle)
        case .emit(let event):
            core.emit(event, lane: lane)
        case .count(let counter, let delta):
            core.stats.add(counter, delta, lane: lane)
        case .schedule(let timer, let delay):
            schedule(timer, after: delay)
        case .cancel(let timer):
            cancel(timer)
        case .flow(.congest):
            handle.congestFlow()
        case .flow(.relieve):
            handle.relieveFlow()
        case .flow(.releaseParked):
            handle.releaseParkedAcks()
        case .violation(let reason, let message, let type):
            core.stats.add(.protocolErrors, lane: lane)
            logger.warning("protocol violation: \(type): \(message) (\(reason))", metadata: ["packet": "\(type)"])
        case .log(let level, let message):
            logger.log(level: level, "\(message)")
        case .ended(let reason):
            core.registry.remove(handle)
            handle.session = nil
            logger.debug("session ended: \(reason)")
        case .publishWill(let will):
            performDeferred(.will(will))
        case .sendRetained(let subscription):
            performDeferred(.retained(subscription))
        }
    }

    /// Carries out an output that may reach this session's machine again (a publish it subscribes to).
    func performDeferred(_ deferred: DeferredActions.Deferred) {
        switch deferred {
        case .route(let inbound):
            route(inbound)
        case .will(let will):
            let message = core.makeMessage(topic: will.topic, payload: will.payload, qos: will.qos,
                                           retain: will.retain, publisher: clientID, properties: will.properties,
                                           lane: handle.loopIndex)
            core.publish(message, from: handle)
        case .retained(let subscription):
            sendRetained(subscription)
        }
    }

    private func route(_ inbound: InboundPublish) {
        let message = core.makeMessage(topic: inbound.topic, payload: inbound.payload, qos: inbound.qos,
                                       retain: inbound.retain, publisher: clientID, properties: inbound.properties,
                                       expiresAt: inbound.expiresAt, lane: handle.loopIndex)
        let routed = core.publish(message, from: handle)
        guard let (kind, packetID) = inbound.acknowledgement, let connection else { return }
        let ack = machine.acknowledgement(kind, packetID: packetID, sessionsReached: routed.sessions)
        // A subscriber backing up holds the acknowledgement back: the publisher's window paces it.
        if let congested = routed.congested,
           congested.parkAck(FlowControl.ParkedAck(publisher: handle, connection: connection, packet: ack)) {
            return
        }
        send(.publishAck(ack))
    }

    /// The retained messages for a new subscription: from the broker's store, or from the backend's.
    /// For a wildcard the SUBACK leaves first: matching many retained messages takes a while (10,000 for a
    /// `#`: a few ms). An exact topic is one lookup, and its SUBACK and message go out together.
    private func sendRetained(_ subscription: SessionSubscription) {
        if subscription.target.filter.hasWildcards { flushIfNeeded() }
        let key = subscription.target.description
        let indexed = core.retained.matching(subscription.target.filter, now: loop.now)
        guard let source = core.retainedSource.withLock({ $0 }) else {
            deliverRetained(indexed, forSubscription: key)
            return
        }
        let handle = self.handle
        source.retainedMessages(matching: key, indexed: indexed) { messages in
            handle.withSession { session in
                session.deliverRetained(messages, forSubscription: key)
                session.flushIfNeeded()
            }
        }
    }

    /// The first few go to the socket before the rest are queued, in the same order, so a subscriber over
    /// many retained messages gets its first ones while the rest are still being queued.
    private func deliverRetained(_ messages: [BrokerMessage], forSubscription key: String) {
        let now = loop.now
        let split = min(messages.count, Broker.retainedSentFirst)
        run { $0.deliverRetained(messages[..<split], forSubscription: key, now: now, into: &$1) }
        guard split < messages.count else { return }
        flushIfNeeded()
        run { $0.deliverRetained(messages[split...], forSubscription: key, now: now, into: &$1) }
    }
}
