import Logging
import MQTTCore
import NIOCore

/// The channel handler of one client connection. Thin: it waits for CONNECT, hands packets to the
/// session, and watches the connect timeout and the keepalive. All MQTT logic lives in `Session`.
final class MQTTServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    // Word-sized fields first, the small ones together at the end: 132 bytes, malloc's 144-byte class
    // (in the order they were written, with padding between them, 160).
    private let core: BrokerCore
    private var reader: MQTTPacketReader
    private var session: SessionHandle?
    private var connection: ClientConnection?
    /// Packets that arrived while CONNECT was being authenticated; handed over in order afterwards.
    private var heldPackets: [MQTTPacket] = []
    private var rateLimiter: PublishRateLimiter?
    /// By the loop's clock (`EventLoop.now`), as every deadline here: a test's embedded loop moves it.
    private var lastActivity = NIODeadline.uptimeNanoseconds(0)
    /// Set while the loop's `ConnectionClock` watches this connection (it needs it to close).
    private var context: ChannelHandlerContext?
    /// The deadline the clock checks: one at a time, so one field (9 bytes, where two optionals took 32).
    private var watch = Watch.nothing
    private var authenticating = false
    /// The connection was refused or is ending: what the client still sends is not acted on.
    private var ending = false
    private var throttled = false
    private let loopSlot: UInt16
    /// This connection's place in the clock's list while watched; -1 while not.
    private var clockPosition: Int32 = -1

    private var loopIndex: Int { Int(loopSlot) }

    /// This connection's place in the clock's list while watched.
    var clockSlot: Int? {
        get { clockPosition < 0 ? nil : Int(clockPosition) }
        // A loop watches far fewer connections than `Int32.max` (the process's file limit bounds them).
        set { clockPosition = newValue.map { Int32(clamping: $0) } ?? -1 }
    }

    private enum Watch {
        case nothing
        /// Until CONNECT arrives: when the connection is closed for not sending it.
        case connect(by: NIODeadline)
        /// After CONNECT: how long the client may stay silent.
        case keepAlive(TimeAmount)
    }

    init(core: BrokerCore, loopIndex: Int, reader: MQTTPacketReader) {
        self.core = core
        loopSlot = UInt16(loopIndex)
        self.reader = reader
    }

    func channelActive(context: ChannelHandlerContext) {
        startConnectDeadline(context)
        context.fireChannelActive()
    }

    /// Added to a live channel (after a WebSocket upgrade) it sees no channelActive: start the clock here.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startConnectDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        unwatchDeadlines()
    }

    private func startConnectDeadline(_ context: ChannelHandlerContext) {
        guard case .nothing = watch, session == nil else { return }
        watch = .connect(by: context.eventLoop.now + core.configuration.connectTimeout)
        watchDeadlines(context)
    }

    /// Counts the bytes (`$SYS/broker/bytes/received`, one call per read) and handles each whole packet.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        core.stats.add(.bytesReceived, bytes.readableBytes, lane: loopIndex)
        lastActivity = context.eventLoop.now
        guard !reader.failed else { return }
        var buffer = reader.joining(bytes)
        do {
            while let packet = try reader.next(from: &buffer) {
                handle(packet, context: context)
                guard context.channel.isActive else { return }
            }
        } catch {
            errorCaught(context: context, error: error)
            return
        }
        reader.keep(buffer, allocator: context.channel.allocator)
    }

    private func handle(_ packet: MQTTPacket, context: ChannelHandlerContext) {
        if ending || connection?.isClosing == true { return }
        if authenticating {
            heldPackets.append(packet)
            return
        }
        guard let session, let connection else {
            guard case .connect(let connect) = packet else {
                // The decoder already refuses anything but CONNECT first; this is a second line of defence.
                context.close(promise: nil)
                return
            }
            accept(connect, context: context)
            return
        }
        if session.loop.inEventLoop {
            session.session?.handle(packet, from: connection)
        } else {
            session.withSession { $0.handle(packet, from: connection) }
        }
        if case .publish = packet, let pause = rateLimiter?.take(now: lastActivity) {
            throttle(context: context, for: pause)
        }
    }

    /// The CONNECT deadline stays until the client is admitted: an authenticator that never answers must
    /// not hold the connection open.
    private func accept(_ connect: ConnectPacket, context: ChannelHandlerContext) {
        guard let (client, connection) = core.prepareConnect(connect, on: context.channel) else {
            ending = true
            return
        }
        // A persistent session may be on another node of the cluster: it comes here before the CONNACK.
        let cluster = connect.cleanStart || core.registry.lookup(client.clientID) != nil ? nil : core.routers.cluster
        let authenticator = core.authenticator
        guard authenticator != nil || cluster != nil else {
            admit(client, connection: connection, connect: connect, permissions: .all, context: context)
            return
        }
        authenticating = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let password = connect.password.map { Array($0.readableBytesView) }
        let loop = context.eventLoop
        let gate = core.routers.gate
        Task {
            let result = await authenticator?.authenticate(client, password: password) ?? .allowed(.all)
            var handedOver: ByteBuffer?
            if let cluster, case .allowed = result { handedOver = await cluster.fetchSession(clientID: client.clientID) }
            gate.enqueue(on: loop) { [handedOver] in
                let (handler, context) = loopBound.value
                handler.authenticated(result, client: client, connection: connection, connect: connect,
                                      handedOver: handedOver, context: context)
            }
        }
    }

    private func authenticated(_ result: AuthenticationResult, client: ClientInfo, connection: ClientConnection,
                               connect: ConnectPacket, handedOver: ByteBuffer?, context: ChannelHandlerContext) {
        authenticating = false
        // Closed meanwhile, or refused already (a malformed packet while authenticating): one CONNACK only.
        guard context.channel.isActive, !ending else { return }
        switch result {
        case .denied(let reason, let why):
            ending = true
            core.refuse(connection, reason, "\(client.clientID) (user \(client.username ?? "-")): \(why)")
            heldPackets.removeAll()
        case .allowed(let permissions):
            admit(client, connection: connection, connect: connect, permissions: permissions, handedOver: handedOver,
                  context: context)
            let held = heldPackets
            heldPackets.removeAll()
            for packet in held { handle(packet, context: context) }
        }
    }

    private func admit(_ client: ClientInfo, connection: ClientConnection, connect: ConnectPacket,
                       permissions: ClientPermissions, handedOver: ByteBuffer? = nil, context: ChannelHandlerContext) {
        let handle = core.admit(client, connection: connection, packet: connect, permissions: permissions,
                                loopIndex: loopIndex, handedOver: handedOver)
        session = handle
        self.connection = connection
        watch = .nothing
        if let rate = core.configuration.maxPublishRate {
            rateLimiter = PublishRateLimiter(ratePerSecond: rate, now: context.eventLoop.now)
        }
        var keepAlive = connect.keepAlive
        if let maximum = core.configuration.maxKeepAlive, keepAlive == 0 || keepAlive > maximum {
            keepAlive = maximum
        }
        if keepAlive > 0 {
            // The spec's grace: one and a half keepalive periods without a packet (§3.1.2.10).
            watch = .keepAlive(.milliseconds(Int64(keepAlive) * 1500))
            if self.context == nil { watchDeadlines(context) }
        } else {
            unwatchDeadlines()
        }
    }

    /// Stops reading for `pause` (the client is over `--max-publish-rate`); TCP slows it down meanwhile.
    private func throttle(context: ChannelHandlerContext, for pause: TimeAmount) {
        guard !throttled else { return }
        throttled = true
        context.channel.setOption(.autoRead, value: false).whenComplete { _ in }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: pause) {
            let (handler, context) = loopBound.value
            handler.throttled = false
            context.channel.setOption(.autoRead, value: true).whenComplete { _ in }
        }
    }

    // MARK: - Deadlines

    private func watchDeadlines(_ context: ChannelHandlerContext) {
        guard let clock = core.routers.entries[loopIndex].router?.clock else { return }
        self.context = context
        clock.watch(self)
    }

    private func unwatchDeadlines() {
        guard context != nil else { return }
        context = nil
        core.routers.entries[loopIndex].router?.clock.unwatch(self)
    }

    /// Asked by the clock on every tick, so it costs a comparison or two.
    func isPastDeadline(_ now: NIODeadline) -> Bool {
        switch watch {
        case .nothing: false
        case .connect(let deadline): now >= deadline
        case .keepAlive(let timeout): now - lastActivity >= timeout
        }
    }

    func deadlinePassed(_ now: NIODeadline) {
        guard let context else { return }
        if case .connect = watch {
            unwatchDeadlines()
            guard session == nil else { return }
            let address = context.remoteAddress.map(BrokerCore.describe) ?? "socket"
            let seconds = core.configuration.connectTimeout.nanoseconds / 1_000_000_000
            core.logger.info(authenticating
                ? "closing \(address): authentication did not answer within \(seconds) s"
                : "closing \(address): no CONNECT within \(seconds) s")
            context.close(promise: nil)
            return
        }
        guard let connection else { return }
        unwatchDeadlines()
        let idle = now - lastActivity
        core.logger.info("keepalive timeout after \(idle.nanoseconds / 1_000_000) ms",
                         metadata: ["client-id": "\(session?.clientID ?? "?")"])
        // Detached first: the will goes now, and nothing more is sent after the DISCONNECT.
        session?.withSession { $0.connectionLost(connection, reason: "keepalive timeout", publishWill: true) }
        connection.end(reason: .keepAliveTimeout)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { session?.withSession { $0.writabilityChanged() } }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        unwatchDeadlines()
        if let session, let connection {
            session.withSession { $0.connectionLost(connection, reason: "connection closed", publishWill: true) }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // An ending connection keeps draining its socket; what fails to decode there is of no interest.
        if ending || connection?.isClosing == true { return }
        let address = context.remoteAddress.map(BrokerCore.describe) ?? "unknown"
        guard let protocolError = error as? MQTTProtocolError else {
            core.logger.debug("connection error from \(address): \(error)",
                              metadata: ["client-id": "\(session?.clientID ?? "-")"])
            context.close(promise: nil)
            return
        }
        if let session, connection != nil {
            ending = true
            let type = protocolError.packetType ?? .connect
            session.withSession { $0.violate(protocolError.reason, protocolError.message, type) }
            return
        }
        core.stats.add(.protocolErrors, lane: loopIndex)
        core.logger.warning("refused CONNECT from \(address): \(protocolError)")
        // Before a session exists the answer is a CONNACK. An unknown protocol level gets the 3.1.1 form,
        // which every version's client can read (§3.1.2.2).
        let version: MQTTVersion = protocolError.reason == .unsupportedProtocolVersion ? .v3_1_1
            : protocolError.connectVersion ?? .v3_1_1
        // 3.1.1 closes on a malformed CONNECT without answering (§4.8); 5.0 and unknown levels get a CONNACK.
        if protocolError.packetType == .connect,
           version.hasProperties || protocolError.reason == .unsupportedProtocolVersion {
            ending = true
            let refusal = ClientConnection(channel: context.channel, version: version, address: address)
            refusal.close(after: .connack(ConnAckPacket(reason: protocolError.reason)))
        } else {
            context.close(promise: nil)
        }
    }
}
