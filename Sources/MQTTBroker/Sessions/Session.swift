import Collections
import Logging
import MQTTCore
import NIOCore

/// One client's MQTT session (§4.1): subscriptions, messages in flight both ways, the offline queue, the
/// will. Confined to one event loop; the connection it is attached to may come and go.
final class Session {
    let handle: SessionHandle
    let core: BrokerCore
    var clientID: String { handle.clientID }
    var loop: EventLoop { handle.loop }
    /// Made when something is logged, not kept: a stored logger with the client id in its metadata
    /// costs every idle session about 0.3 kB.
    var logger: Logger {
        var logger = core.logger
        logger[metadataKey: "client-id"] = "\(handle.clientID)"
        return logger
    }

    // MARK: Connection

    /// The attached connection; nil while the client is offline.
    var connection: ClientConnection?
    var client: ClientInfo
    var version: MQTTVersion { client.version }
    /// Boxed: most sessions have none, and inline its properties would cost every session 0.3 kB.
    private var willBox: WillBox?
    var will: WillMessage? {
        get { willBox?.message }
        set { willBox = newValue.map(WillBox.init) }
    }
    var willTask: Scheduled<Void>? {
        get { timers?.will }
        set { timer { $0.will = newValue } }
    }
    var expiryTask: Scheduled<Void>? {
        get { timers?.expiry }
        set { timer { $0.expiry = newValue } }
    }
    /// The session's timers, out of line: an online session normally has none running.
    private var timers: SessionTimers?
    /// Packets written this loop tick, sent in one write at its end (or when it grows past the limit);
    /// nil between ticks, so an idle session holds no buffer.
    var outBuffer: ByteBuffer?
    static let outBufferLimit = 64 * 1024
    var ended = false

    // MARK: Subscriptions

    var subscriptions: [String: SessionSubscription] = [:]

    // MARK: Outbound (broker → client)

    /// QoS 1/2 messages sent and not yet completed, in send order.
    var outbound: OrderedDictionary<UInt16, OutboundMessage> = [:]
    /// Messages waiting for a free inflight slot, a writable socket, or the client to return.
    var pending: Deque<Delivery> = []
    /// min(client's Receive Maximum, broker's max inflight).
    var sendWindow: Int {
        get { Int(sendWindowStorage) }
        set { sendWindowStorage = UInt32(clamping: newValue) }
    }
    /// The client's Maximum Packet Size (5.0); larger messages are dropped for it (§3.1.2.11.4).
    var clientMaxPacketSize: Int {
        get { Int(maxPacketSizeStorage) }
        set { maxPacketSizeStorage = UInt32(clamping: newValue) }
    }
    var outboundAliases: [String: UInt16] = [:]
    var droppedCount = 0
    var flowTimer: Scheduled<Void>? {
        get { timers?.flow }
        set { timer { $0.flow = newValue } }
    }
    /// What the authenticator allowed at CONNECT; out of line unless it restricts anything.
    var permissions: ClientPermissions {
        get { permissionBox?.permissions ?? .all }
        set {
            permissionBox = newValue == .all ? nil : PermissionBox(newValue)
            checksDeliveries = newValue.checksDeliveries
        }
    }
    private var permissionBox: PermissionBox?

    /// The publish check of the publish path: no copy of the permissions when there are none.
    func mayPublish(_ topic: String) -> Bool {
        permissionBox?.permissions.mayPublish(topic) ?? true
    }

    // MARK: Inbound (client → broker)

    /// Topic aliases the client set up towards us.
    var inboundAliases: [UInt16: String] = [:]
    /// QoS 2 publishes received and routed, waiting for PUBREL (§4.3.3 method B: route on PUBLISH,
    /// remember the packet id until PUBREL so a retransmission is not routed twice).
    var awaitingRelease: Set<UInt16> = []

    // MARK: Small fields, together (a class lays its properties out in order: scattered, they cost padding)

    /// Seconds the session outlives its connection (5.0 Session Expiry Interval; 3.1.1: 0 or forever).
    var expiryInterval: UInt32 = 0
    private var sendWindowStorage: UInt32
    /// Packet sizes fit 28 bits (§1.5.5); unlimited is stored as `UInt32.max`.
    private var maxPacketSizeStorage = UInt32.max
    var nextPacketID: UInt16 = 1
    var clientTopicAliasMaximum: UInt16 = 0
    var nextOutboundAlias: UInt16 = 1
    /// Every delivery is checked against `permissions` (a deny rule inside an allowed subscription).
    var checksDeliveries = false

    init(handle: SessionHandle, core: BrokerCore, client: ClientInfo) {
        self.handle = handle
        self.core = core
        self.client = client
        sendWindowStorage = UInt32(clamping: core.configuration.maxInflight)
    }

    var router: LoopRouter? { core.routers.entries[handle.loopIndex].router }

    // MARK: - Attach and detach

    /// Attaches a new connection (first connect, reconnect, or takeover) and sends CONNACK.
    func attach(_ newConnection: ClientConnection, connect: ConnectPacket, client newClient: ClientInfo,
                sessionPresent: Bool) {
        if let old = connection {
            logger.info("session taken over by a new connection from \(newConnection.address)")
            detach(old, reason: "taken over")
            old.end(reason: .sessionTakenOver)
            // The session resumes at once, so a delayed will would never fall due (§3.1.3.2.2).
            if will?.properties.willDelayInterval ?? 0 == 0 { publishWill() }
        }
        willTask?.cancel()
        willTask = nil
        expiryTask?.cancel()
        expiryTask = nil
        // A resumed session's pending will is dropped: the client is back before it was due (§3.1.3.2.2).
        will = connect.will
        connection = newConnection
        client = newClient
        handle.isConnected = true
        core.stats.add(.connectedClients, lane: handle.loopIndex)
        applyConnectParameters(connect)
        var properties = connackProperties(connect: connect)
        if connect.clientID.isEmpty && version.hasProperties {
            properties.assignedClientIdentifier = clientID
        }
        send(.connack(ConnAckPacket(sessionPresent: sessionPresent, reason: .success, properties: properties)))
        if !sessionPresent { core.emit(.sessionCreated(client)) }
        core.emit(.clientConnected(client))
        resendInflight()
        drainPending()
        flushIfNeeded()
    }

    private func applyConnectParameters(_ connect: ConnectPacket) {
        if version.hasProperties {
            expiryInterval = min(connect.properties.sessionExpiryInterval ?? 0, core.configuration.maxSessionExpiry)
            let receiveMaximum = Int(connect.properties.receiveMaximum ?? UInt16.max)
            sendWindow = min(receiveMaximum, core.configuration.maxInflight)
            clientMaxPacketSize = connect.properties.maximumPacketSize.map { Int($0) } ?? Int.max
            clientTopicAliasMaximum = connect.properties.topicAliasMaximum ?? 0
        } else {
            expiryInterval = connect.cleanStart ? 0 : core.configuration.maxSessionExpiry
            sendWindowStorage = UInt32(clamping: core.configuration.maxInflight)
            clientMaxPacketSize = Int.max
            clientTopicAliasMaximum = 0
        }
        // Aliases live for one connection (§3.3.2.3.4).
        outboundAliases.removeAll()
        nextOutboundAlias = 1
        inboundAliases.removeAll()
    }

    private func connackProperties(connect: ConnectPacket) -> MQTTProperties {
        var properties = MQTTProperties()
        guard version.hasProperties else { return properties }
        let configuration = core.configuration
        properties.receiveMaximum = configuration.receiveMaximum
        properties.maximumPacketSize = UInt32(configuration.maxPacketSize)
        properties.topicAliasMaximum = configuration.topicAliasMaximum
        properties.retainAvailable = configuration.retainAvailable ? nil : 0
        properties.sharedSubscriptionAvailable = 1
        properties.wildcardSubscriptionAvailable = 1
        properties.subscriptionIdentifierAvailable = 1
        if let requested = connect.properties.sessionExpiryInterval, requested > configuration.maxSessionExpiry {
            properties.sessionExpiryInterval = configuration.maxSessionExpiry
        }
        if let maximum = configuration.maxKeepAlive, connect.keepAlive == 0 || connect.keepAlive > maximum {
            properties.serverKeepAlive = maximum
        }
        return properties
    }

    /// The connection went away: publish or schedule the will, then end the session or let it wait.
    func connectionLost(_ lost: ClientConnection, reason: String, publishWill: Bool) {
        guard lost === connection else { return }
        detach(lost, reason: reason)
        if !publishWill { will = nil }
        // Messages in flight stay for redelivery; nothing is lost while the session lives.
        if expiryInterval == 0 {
            end(reason: "session expiry 0")
            return
        }
        if let will {
            // The will goes out at the earlier of its delay and the session's end (§3.1.3.2.2).
            let delay = min(will.properties.willDelayInterval ?? 0, expiryInterval)
            if delay == 0 {
                self.publishWill()
            } else {
                willTask = loop.assumeIsolated().scheduleTask(in: .seconds(Int64(delay))) { [self] in self.publishWill() }
            }
        }
        if expiryInterval != UInt32.max {
            expiryTask = loop.assumeIsolated().scheduleTask(in: .seconds(Int64(expiryInterval))) { [self] in
                end(reason: "session expired after \(expiryInterval) s")
            }
        }
    }

    private func detach(_ lost: ClientConnection, reason: String) {
        flushIfNeeded()
        connection = nil
        // Offline, the queue no longer holds publishers back.
        updateFlowControl()
        handle.isConnected = false
        core.stats.add(.connectedClients, -1, lane: handle.loopIndex)
        core.emit(.clientDisconnected(client, reason: reason))
        logger.debug("disconnected: \(reason)")
    }

    func publishWill() {
        willTask = nil
        guard let will else { return }
        self.will = nil
        // The will is a publish like any other: a client may not say by dying what it may not say alive.
        guard mayPublish(will.topic) else {
            logger.warning("will to \(will.topic) denied by ACL; not published", metadata: ["user": "\(client.username ?? "-")"])
            return
        }
        let message = core.makeMessage(topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain,
                                       publisher: clientID, properties: will.properties, lane: handle.loopIndex)
        logger.info("publishing will to \(will.topic)")
        core.publish(message, from: handle)
    }

    /// Ends the session: the will goes out if it is still pending, subscriptions are removed everywhere.
    /// `takenOver` says a new session for the same client id replaces this one (clean start).
    func end(reason: String, takenOver: Bool = false) {
        guard !ended else { return }
        ended = true
        willTask?.cancel()
        expiryTask?.cancel()
        if let connection {
            detach(connection, reason: reason)
            if takenOver { connection.end(reason: .sessionTakenOver) } else { connection.close() }
        }
        if will != nil { publishWill() }
        for subscription in subscriptions.values {
            core.removeRoute(subscription.target, subscriber: handle)
        }
        core.stats.add(.subscriptions, -subscriptions.count, lane: handle.loopIndex)
        core.stats.add(.inflight, -outbound.count, lane: handle.loopIndex)
        core.stats.add(.queued, -pending.count, lane: handle.loopIndex)
        subscriptions.removeAll()
        outbound.removeAll()
        pending.removeAll()
        core.registry.remove(handle)
        handle.session = nil
        logger.debug("session ended: \(reason)")
    }

    /// Encodes `packet` into this tick's buffer; the loop flushes it at the end of the tick.
    func send(_ packet: MQTTPacket) {
        // After a DISCONNECT from the broker nothing more goes to the client (MQTT-3.14.4-1).
        guard let connection, !connection.isClosing else { return }
        let size = packet.encodedSize(version: version)
        let wasEmpty = outBuffer == nil
        // Room for a tick's worth of publishes; an acknowledgement or PINGRESP alone gets what it needs
        // (a 2 kB buffer per PINGRESP fragments the heap of a broker holding many idle clients).
        var buffer = outBuffer.take()
            ?? connection.channel.allocator.buffer(capacity: max(size, packet.packetType == .publish ? 2048 : 64))
        packet.write(version: version, to: &buffer)
        let written = buffer.readableBytes
        outBuffer = buffer
        core.stats.add(.bytesSent, size, lane: handle.loopIndex)
        core.stats.add(.messagesSent, lane: handle.loopIndex)
        if written >= Self.outBufferLimit {
            flushIfNeeded()
        } else if wasEmpty {
            if let router {
                router.markDirty(self)
            } else {
                flushIfNeeded()
            }
        }
    }

    /// Writes and flushes what this tick produced.
    func flushIfNeeded() {
        guard let connection, let buffer = outBuffer.take() else { return }
        connection.channel.writeAndFlush(buffer, promise: nil)
    }
}

/// One of a session's subscriptions.
struct SessionSubscription {
    let target: SubscriptionTarget
    var options: SubscriptionRequest
    var identifier: Int?
}

/// A QoS 1/2 message sent to the client and not yet completed.
struct OutboundMessage {
    let delivery: Delivery
    /// PUBREC received: waiting for PUBCOMP after our PUBREL (QoS 2 only).
    var released: Bool = false
}

/// A session's pending timers, allocated the first time one is set.
private final class SessionTimers {
    var will: Scheduled<Void>?
    var expiry: Scheduled<Void>?
    var flow: Scheduled<Void>?
}

extension Session {
    /// Changes a timer; clearing one that was never set allocates nothing.
    fileprivate func timer(_ change: (SessionTimers) -> Void) {
        if let timers {
            change(timers)
        } else {
            let timers = SessionTimers()
            change(timers)
            if timers.will != nil || timers.expiry != nil || timers.flow != nil { self.timers = timers }
        }
    }
}

/// Permissions that restrict something, out of line.
private final class PermissionBox {
    let permissions: ClientPermissions
    init(_ permissions: ClientPermissions) { self.permissions = permissions }
}

/// A session's will, out of line.
private final class WillBox {
    let message: WillMessage
    init(_ message: WillMessage) { self.message = message }
}
