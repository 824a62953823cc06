import Logging
import MQTTCore
import NIOCore
import Synchronization

/// One client's session on its event loop: the `SessionMachine` that decides, and what carries its actions
/// out (the attached connection, this tick's output buffer, the timers, the broker's routing and hooks).
/// Confined to one event loop; the connection it is attached to may come and go.
final class Session {
    let handle: SessionHandle
    let core: BrokerCore
    /// The attached connection; nil while the client is offline.
    var connection: ClientConnection?
    /// The session's timers, out of line: an online session normally has none running.
    private var timers: SessionTimers?
    /// Packets written this loop tick, sent in one write at its end (or when it grows past the limit);
    /// nil between ticks, so an idle session holds no buffer.
    private var outBuffer: ByteBuffer?
    static let outBufferLimit = 64 * 1024
    /// The MQTT state; changed only through `run`. Before the two one-byte fields, so its tail needs no
    /// padding: 248 bytes, inside malloc's 256-byte class (`FootprintTests`).
    private(set) var machine: SessionMachine
    /// SUBSCRIBEs that gave the cluster a new filter and whose announcement is still awaited
    /// (`ClusterLink.whenAnnounced`, at most `clusterHold` each): while any is, nothing is flushed.
    private var clusterHolds: UInt8 = 0
    /// Which attached connection the holds belong to: a release from before a detach is ignored.
    private var holdEpoch: UInt8 = 0
    static let clusterHold = TimeAmount.seconds(1)

    var isHeldForCluster: Bool { clusterHolds > 0 }

    init(handle: SessionHandle, core: BrokerCore, client: ClientInfo) {
        self.handle = handle
        self.core = core
        machine = SessionMachine(broker: core.sharedConfiguration, client: client)
    }

    var clientID: String { handle.clientID }
    var loop: EventLoop { handle.loop }
    var client: ClientInfo { machine.client }
    var version: MQTTVersion { machine.version }
    /// Made when something is logged, not kept: a stored logger with the client id in its metadata
    /// costs every idle session about 0.3 kB.
    var logger: Logger {
        var logger = core.logger
        logger[metadataKey: "client-id"] = "\(handle.clientID)"
        return logger
    }
    var router: LoopRouter? { core.routers.entries[handle.loopIndex].router }

    /// Gives one input to the machine, performs what it asks, then what may run it again (routing, the will,
    /// retained messages), which `SessionEffects` held back until the input returned.
    @inline(__always)
    func run<Result>(attaching incoming: ClientConnection? = nil,
                     _ input: (inout SessionMachine, inout SessionEffects) -> Result) -> Result {
        var effects = SessionEffects(session: self, incoming: incoming)
        let result = input(&machine, &effects)
        effects.deferred.forEach(performDeferred)
        return result
    }

    // MARK: - Inputs

    /// Attaches a new connection (first connect, reconnect, or takeover) and sends CONNACK.
    func attach(_ newConnection: ClientConnection, connect: ConnectPacket, client: ClientInfo,
                sessionPresent: Bool, permissions: ClientPermissions) {
        if let old = connection {
            logger.info("session taken over by a new connection from \(newConnection.address) (was \(old.address))")
        }
        machine.permissions = permissions
        let now = loop.now
        run(attaching: newConnection) {
            $0.attach(connect, client: client, sessionPresent: sessionPresent, now: now, into: &$1)
        }
        flushIfNeeded()
    }

    func handle(_ packet: MQTTPacket, from source: ClientConnection) {
        // A packet that was in flight from a connection already replaced is dropped.
        guard source === connection else { return }
        let now = loop.now
        run { $0.receive(packet, now: now, into: &$1) }
    }

    /// The connection went away; nothing happens if it is no longer this session's.
    func connectionLost(_ lost: ClientConnection, reason: String, publishWill: Bool) {
        guard lost === connection else { return }
        run { $0.connectionLost(reason: reason, publishWill: publishWill, ending: .none, into: &$1) }
    }

    func violate(_ reason: ReasonCode, _ message: String, _ type: PacketType) {
        run { $0.violate(reason, message, type, into: &$1) }
    }

    func deliver(_ delivery: Delivery) {
        let now = loop.now
        run { $0.deliver(delivery, now: now, into: &$1) }
    }

    /// The socket became writable again.
    func writabilityChanged() {
        let now = loop.now
        run { $0.drainPending(now: now, into: &$1) }
        flushIfNeeded()
    }

    func end(reason: String, takenOver: Bool = false) {
        run { $0.end(reason: reason, takenOver: takenOver, into: &$1) }
    }

    /// Ends the session here because it goes on at `node`: returns what moves there with the client.
    func handOver(toNode node: String) -> ByteBuffer {
        let image = machine.image.encoded(now: loop.now)
        run { $0.end(reason: BrokerEvent.takenOverByAnotherNode + node, takenOver: true, handedOver: true, into: &$1) }
        flushIfNeeded()
        return image
    }

    /// Takes the state another node handed over, before the connection attaches.
    func restore(_ image: SessionImage) {
        run { $0.restore(image, into: &$1) }
    }

    func subscribeServerSide(filter: String, qos: QoS) -> Bool {
        run { $0.subscribeServerSide(filter: filter, qos: qos, into: &$1) }
    }

    func unsubscribeServerSide(filter: String) -> Bool {
        run { $0.unsubscribeServerSide(filter: filter, into: &$1) }
    }

    private func fire(_ timer: SessionTimer) {
        setTimer(timer, nil)
        let now = loop.now
        run { $0.timerFired(timer, now: now, into: &$1) }
        flushIfNeeded()
    }

    // MARK: - Transport

    /// Whether the attached connection takes another packet this tick.
    var canWrite: Bool {
        guard let connection, !connection.isClosing, connection.isWritable else { return false }
        return (outBuffer?.readableBytes ?? 0) < Self.outBufferLimit
    }

    /// Encodes `packet` into this tick's buffer; the loop flushes it at the end of the tick.
    func send(_ packet: MQTTPacket) {
        // After a DISCONNECT from the broker nothing more goes to the client (MQTT-3.14.4-1).
        guard let connection, !connection.isClosing else { return }
        let version = connection.version
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
        guard !isHeldForCluster, let connection, let buffer = outBuffer.take() else { return }
        connection.channel.writeAndFlush(buffer, promise: nil)
    }

    /// Holds what this session writes until the cluster announced the filters added so far, or
    /// `clusterHold` passed (Redis down, say): then it goes out in the order it was written, and what was
    /// queued meanwhile (the buffer may have passed its limit) is drained.
    func holdUntilAnnounced() {
        guard let cluster = core.routers.cluster, clusterHolds < .max else { return }
        clusterHolds += 1
        let epoch = holdEpoch
        let token = HoldToken()
        let handle = self.handle
        // The announcement or the time bound, whichever comes first, ends this hold; the other is a no-op.
        // Later, never inline: the announcement may already be written and call back at once, while this
        // session is still in the SUBSCRIBE's input.
        let release: @Sendable () -> Void = {
            guard token.take() else { return }
            handle.withSessionLater { session in session.endHold(epoch: epoch) }
        }
        cluster.whenAnnounced(release)
        loop.scheduleTask(in: Self.clusterHold) { release() }
    }

    private func endHold(epoch: UInt8) {
        guard epoch == holdEpoch, clusterHolds > 0 else { return }
        clusterHolds -= 1
        if clusterHolds == 0 { writabilityChanged() }
    }

    /// The connection goes: what was held goes out before it, and later releases find nothing to end.
    func dropHolds() {
        clusterHolds = 0
        holdEpoch &+= 1
    }

    // MARK: - Timers

    func schedule(_ timer: SessionTimer, after delay: TimeAmount) {
        let task = loop.assumeIsolated().scheduleTask(in: delay) { [self] in fire(timer) }
        setTimer(timer, task)
    }

    func cancel(_ timer: SessionTimer) {
        guard let timers else { return }
        timers[timer]?.cancel()
        setTimer(timer, nil)
    }

    /// Changes a timer; clearing one that was never set allocates nothing.
    private func setTimer(_ timer: SessionTimer, _ task: Scheduled<Void>?) {
        if let timers {
            timers[timer] = task
        } else if let task {
            let timers = SessionTimers()
            timers[timer] = task
            self.timers = timers
        }
    }
}

/// A session's pending timers, allocated the first time one is set.
private final class SessionTimers {
    private var will: Scheduled<Void>?
    private var expiry: Scheduled<Void>?
    private var flow: Scheduled<Void>?

    subscript(timer: SessionTimer) -> Scheduled<Void>? {
        get {
            switch timer {
            case .will: will
            case .expiry: expiry
            case .flow: flow
            }
        }
        set {
            switch timer {
            case .will: will = newValue
            case .expiry: expiry = newValue
            case .flow: flow = newValue
            }
        }
    }
}

/// One cluster hold's release, taken once by whichever of its two triggers comes first.
private final class HoldToken: Sendable {
    private let taken = Atomic<Bool>(false)
    func take() -> Bool { !taken.exchange(true, ordering: .acquiringAndReleasing) }
}
