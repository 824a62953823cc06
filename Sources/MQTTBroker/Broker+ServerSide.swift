import MQTTCore
import NIOCore

/// Operations on sessions from outside MQTT: the Redis backend's stored subscriptions and offline fetches,
/// the SUB/UNSUB channel, the console.
extension Broker {
    /// Subscribes a connected client (or a live offline session) to `filter`. False when the client has no
    /// session here or the filter is invalid.
    public func subscribe(clientID: String, filter: String, qos: QoS) async -> Bool {
        await onSession(clientID) { $0.subscribeServerSide(filter: filter, qos: qos) } ?? false
    }

    public func unsubscribe(clientID: String, filter: String) async -> Bool {
        await onSession(clientID) { $0.unsubscribeServerSide(filter: filter) } ?? false
    }

    /// Ends a connected client's connection: DISCONNECT with `reason` to a 5.0 client, a close for 3.1.1
    /// (the console's kick). False when the client is not connected here.
    public func disconnect(clientID: String, reason: ReasonCode = .administrativeAction) async -> Bool {
        await onSession(clientID) { session in
            guard let connection = session.connection else { return false }
            connection.end(reason: reason)
            return true
        } ?? false
    }

    /// Pushes `message` into the client's session as if routed through a subscription at `qos`.
    @discardableResult
    public func deliver(_ message: BrokerMessage, to clientID: String, qos: QoS, retain: Bool = false) async -> Bool {
        await onSession(clientID) { session in
            session.deliver(Delivery(message: message, qos: min(message.qos, qos), retain: retain,
                                     subscriptionIdentifiers: []))
            session.flushIfNeeded()
            return true
        } ?? false
    }

    /// Publishes a message from outside any client (routing, retained store, hooks).
    public func publish(_ message: BrokerMessage) {
        core.inject(message)
    }

    /// A message with a fresh id and the broker's timestamp.
    public func makeMessage(topic: String, payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false,
                            publisher: String? = nil, properties: MQTTProperties? = nil) -> BrokerMessage {
        core.makeMessage(topic: topic, payload: payload, qos: qos, retain: retain, publisher: publisher,
                         properties: properties)
    }

    /// Makes `source` answer for new subscriptions' retained messages (the backend's `on_retain_lookup`).
    public func useRetainedSource(_ source: any RetainedMessageSource) {
        core.retainedSource.withLock { $0 = source }
    }

    /// Whether a client id has a session here, and whether it is connected.
    public func sessionState(clientID: String) -> (exists: Bool, connected: Bool) {
        guard let handle = core.registry.lookup(clientID) else { return (false, false) }
        return (true, handle.isConnected)
    }

    /// Per-client figures for the console.
    public func clients() async -> [ClientSnapshot] {
        var result: [ClientSnapshot] = []
        for handle in core.registry.all() {
            let snapshot: ClientSnapshot?? = await core.routers.gate.submit(on: handle.loop) {
                guard let session = handle.session else { return nil }
                return ClientSnapshot(clientID: session.clientID, connected: session.connection != nil,
                                      address: session.client.address, version: session.version,
                                      keepAlive: session.client.keepAlive, inflight: session.machine.outbound.count,
                                      queued: session.machine.pending.count,
                                      subscriptions: session.machine.subscriptions.mapValues { Int($0.options.qos.rawValue) },
                                      dropped: session.machine.droppedCount)
            }
            if let snapshot = snapshot ?? nil { result.append(snapshot) }
        }
        return result.sorted { $0.clientID < $1.clientID }
    }

    private func onSession<T: Sendable>(_ clientID: String, _ body: @escaping @Sendable (Session) -> T) async -> T? {
        guard let handle = core.registry.lookup(clientID) else { return nil }
        return await core.routers.gate.submit(on: handle.loop) { handle.session.map(body) } ?? nil
    }
}

/// One session as the console shows it.
public struct ClientSnapshot: Sendable, Hashable {
    public var clientID: String
    public var connected: Bool
    public var address: String
    public var version: MQTTVersion
    public var keepAlive: UInt16
    public var inflight: Int
    public var queued: Int
    /// Filter (share prefix included) → granted QoS.
    public var subscriptions: [String: Int]
    public var dropped: Int
}
