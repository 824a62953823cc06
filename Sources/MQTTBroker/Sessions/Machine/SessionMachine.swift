import Collections
import MQTTCore
import NIOCore

/// The MQTT logic of one session (§4.1) as a value. Its inputs are the client's packets, deliveries from
/// the router and timer firings; its outputs are `SessionAction`s given to an output in order. It holds no
/// connection, loop or clock: an input that needs the time carries `now`, and timers are actions, so a
/// test drives QoS flows, inflight windows, will delay and expiry with a manual clock, without sockets.
///
/// `Session` keeps one per client and carries the actions out on the session's event loop.
struct SessionMachine {
    /// The limits it decides by.
    let broker: SharedConfiguration
    private(set) var client: ClientInfo
    /// Seconds the session outlives its connection (5.0 Session Expiry Interval; 3.1.1: 0 or forever).
    /// Right after `client`, in the four bytes its small fields leave before the next reference.
    var expiryInterval: UInt32 = 0
    var clientID: String { client.clientID }
    var version: MQTTVersion { client.version }

    // MARK: Subscriptions and messages

    var subscriptions: [String: SessionSubscription] = [:]
    /// QoS 1/2 messages sent and not yet completed, in send order.
    var outbound: OrderedDictionary<UInt16, OutboundMessage> = [:]
    /// Messages waiting for a free inflight slot, a writable socket, or the client to return.
    var pending: Deque<Delivery> = []
    var outboundAliases: [String: UInt16] = [:]
    /// Topic aliases the client set up towards us.
    var inboundAliases: [UInt16: String] = [:]
    /// QoS 2 publishes received and routed, waiting for PUBREL (§4.3.3 method B: route on PUBLISH,
    /// remember the packet id until PUBREL so a retransmission is not routed twice).
    var awaitingRelease: Set<UInt16> = []

    /// Boxed: most sessions have none, and inline its properties would cost every session 0.3 kB.
    private var willBox: WillBox?
    var will: WillMessage? {
        get { willBox?.message }
        set { willBox = newValue.map(WillBox.init) }
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

    // MARK: Small fields, together (packed, they cost no padding)

    private var sendWindowStorage: UInt32
    /// Packet sizes fit 28 bits (§1.5.5); unlimited is stored as `UInt32.max`.
    private var maxPacketSizeStorage = UInt32.max
    private var droppedStorage: UInt32 = 0
    var nextPacketID: UInt16 = 1
    var clientTopicAliasMaximum: UInt16 = 0
    var nextOutboundAlias: UInt16 = 1
    /// A connection is attached: the client is online.
    private(set) var isAttached = false
    private(set) var hasEnded = false
    /// Publishers' acknowledgements are being held for this session's queue.
    var isCongested = false
    /// Every delivery is checked against `permissions` (a deny rule inside an allowed subscription).
    private(set) var checksDeliveries = false

    init(broker: SharedConfiguration, client: ClientInfo) {
        self.broker = broker
        self.client = client
        sendWindowStorage = UInt32(clamping: broker.configuration.maxInflight)
    }

    /// Messages dropped for this client (queue bound, packet size), for the log and the console.
    var droppedCount: Int {
        get { Int(droppedStorage) }
        set { droppedStorage = UInt32(clamping: newValue) }
    }

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

    /// The publish check of the publish path: no copy of the permissions when there are none.
    func mayPublish(_ topic: String) -> Bool {
        permissionBox?.permissions.mayPublish(topic) ?? true
    }

    // MARK: - Attach

    /// A connection attaches (first connect, reconnect, or takeover): CONNACK, then what was in flight.
    mutating func attach<Output: SessionOutput>(_ connect: ConnectPacket, client newClient: ClientInfo,
                                                sessionPresent: Bool, now: NIODeadline, into out: inout Output) {
        guard !hasEnded else { return }
        if isAttached {
            detach(reason: "taken over", ending: .end(.sessionTakenOver), into: &out)
            // The session resumes at once, so a delayed will would never fall due (§3.1.3.2.2).
            if will?.properties.willDelayInterval ?? 0 == 0 { publishWill(into: &out) }
        }
        out.perform(.cancel(.will))
        out.perform(.cancel(.expiry))
        // A resumed session's pending will is dropped: the client is back before it was due (§3.1.3.2.2).
        will = connect.will
        client = newClient
        isAttached = true
        out.perform(.attach)
        applyConnectParameters(connect)
        var properties = connackProperties(connect: connect)
        if connect.clientID.isEmpty && version.hasProperties {
            properties.assignedClientIdentifier = clientID
        }
        out.write(.connack(ConnAckPacket(sessionPresent: sessionPresent, reason: .success,
                                                  properties: properties)))
        if !sessionPresent { out.perform(.emit(.sessionCreated(client))) }
        out.perform(.emit(.clientConnected(client)))
        resendInflight(now: now, into: &out)
        drainPending(now: now, into: &out)
    }

    private mutating func applyConnectParameters(_ connect: ConnectPacket) {
        if version.hasProperties {
            expiryInterval = min(connect.properties.sessionExpiryInterval ?? 0, broker.configuration.maxSessionExpiry)
            let receiveMaximum = Int(connect.properties.receiveMaximum ?? UInt16.max)
            sendWindow = min(receiveMaximum, broker.configuration.maxInflight)
            clientMaxPacketSize = connect.properties.maximumPacketSize.map { Int($0) } ?? Int.max
            clientTopicAliasMaximum = connect.properties.topicAliasMaximum ?? 0
        } else {
            expiryInterval = connect.cleanStart ? 0 : broker.configuration.maxSessionExpiry
            sendWindow = broker.configuration.maxInflight
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
        properties.receiveMaximum = broker.configuration.receiveMaximum
        properties.maximumPacketSize = UInt32(broker.configuration.maxPacketSize)
        properties.topicAliasMaximum = broker.configuration.topicAliasMaximum
        properties.retainAvailable = broker.configuration.retainAvailable ? nil : 0
        properties.sharedSubscriptionAvailable = 1
        properties.wildcardSubscriptionAvailable = 1
        properties.subscriptionIdentifierAvailable = 1
        if let requested = connect.properties.sessionExpiryInterval, requested > broker.configuration.maxSessionExpiry {
            properties.sessionExpiryInterval = broker.configuration.maxSessionExpiry
        }
        if let maximum = broker.configuration.maxKeepAlive, connect.keepAlive == 0 || connect.keepAlive > maximum {
            properties.serverKeepAlive = maximum
        }
        return properties
    }

    // MARK: - Connection lost

    /// The connection went away (or is sent away): publish or schedule the will, then end the session or
    /// let it wait for the client, its messages in flight kept for redelivery.
    mutating func connectionLost<Output: SessionOutput>(reason: String, publishWill withWill: Bool,
                                                        ending: ConnectionEnding, into out: inout Output) {
        guard isAttached, !hasEnded else { return }
        detach(reason: reason, ending: ending, into: &out)
        if !withWill { will = nil }
        if expiryInterval == 0 {
            end(reason: "session expiry 0", into: &out)
            return
        }
        if let will {
            // The will goes out at the earlier of its delay and the session's end (§3.1.3.2.2).
            let delay = min(will.properties.willDelayInterval ?? 0, expiryInterval)
            if delay == 0 {
                publishWill(into: &out)
            } else {
                out.perform(.schedule(.will, after: .seconds(Int64(delay))))
            }
        }
        if expiryInterval != UInt32.max {
            out.perform(.schedule(.expiry, after: .seconds(Int64(expiryInterval))))
        }
    }

    private mutating func detach<Output: SessionOutput>(reason: String, ending: ConnectionEnding,
                                                        into out: inout Output) {
        isAttached = false
        out.perform(.detach(reason: reason, ending: ending))
        out.perform(.emit(.clientDisconnected(client, reason: reason)))
        // Offline, the queue no longer holds publishers back.
        updateFlowControl(into: &out)
    }

    mutating func timerFired<Output: SessionOutput>(_ timer: SessionTimer, now: NIODeadline,
                                                    into out: inout Output) {
        guard !hasEnded else { return }
        switch timer {
        case .will:
            publishWill(into: &out)
        case .expiry:
            end(reason: "session expired after \(expiryInterval) s", into: &out)
        case .flow:
            out.perform(.flow(.releaseParked))
            if isCongested { out.perform(.schedule(.flow, after: FlowControl.maximumHold)) }
        }
    }

    mutating func publishWill<Output: SessionOutput>(into out: inout Output) {
        guard let will else { return }
        self.will = nil
        // The will is a publish like any other: a client may not say by dying what it may not say alive.
        guard mayPublish(will.topic) else {
            out.perform(.log(.warning,
                             "will to \(will.topic) denied by ACL for user \(client.username ?? "-"); not published"))
            return
        }
        out.perform(.log(.info, "publishing will to \(will.topic)"))
        out.perform(.publishWill(will))
    }

    // MARK: - End

    /// Ends the session: the will goes out if it is still pending, subscriptions are removed everywhere.
    /// `takenOver` says a new session for the same client id replaces this one (clean start); `handedOver`
    /// that it goes on elsewhere (another node of the cluster), so its will does not fall due.
    mutating func end<Output: SessionOutput>(reason: String, takenOver: Bool = false, handedOver: Bool = false,
                                             into out: inout Output) {
        guard !hasEnded else { return }
        hasEnded = true
        out.perform(.cancel(.will))
        out.perform(.cancel(.expiry))
        if isAttached {
            detach(reason: reason, ending: takenOver ? .end(.sessionTakenOver) : .close, into: &out)
        }
        if !handedOver { publishWill(into: &out) }
        for subscription in subscriptions.values { out.perform(.removeRoute(subscription.target)) }
        out.perform(.count(.subscriptions, -subscriptions.count))
        out.perform(.count(.inflight, -outbound.count))
        out.perform(.count(.queued, -pending.count))
        subscriptions.removeAll()
        outbound.removeAll()
        pending.removeAll()
        out.perform(.ended(reason: reason))
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
