import Logging
import MQTTCore
import NIOCore

/// CONNECT: validate, find or create the session, attach (§3.1.4).
extension BrokerCore {
    /// Checks a CONNECT before authentication: client id rules and the connection limit. Returns who the
    /// client is, or nil when it was refused (CONNACK sent, closing).
    func prepareConnect(_ packet: ConnectPacket, on channel: Channel) -> (ClientInfo, ClientConnection)? {
        let address = channel.remoteAddress.map(Self.describe) ?? "unknown"
        let connection = ClientConnection(channel: channel, version: packet.version, address: address)
        var clientID = packet.clientID
        if clientID.isEmpty {
            // 3.1.1 allows an empty id only with a clean session (§3.1.3-8); 5.0 always, with an assigned id.
            guard packet.cleanStart || packet.version.hasProperties else {
                refuse(connection, .clientIdentifierNotValid, "empty client id without clean session")
                return nil
            }
            clientID = "mqtop-" + Self.randomSuffix()
        }
        if stats.total(.connectedClients) >= configuration.maxConnections {
            refuse(connection, .serverBusy, "connection limit \(configuration.maxConnections) reached (\(clientID))")
            return nil
        }
        let client = ClientInfo(clientID: clientID, username: packet.username, address: address,
                                version: packet.version, keepAlive: packet.keepAlive, cleanStart: packet.cleanStart,
                                connectionID: UInt64(stats.connectionsAccepted.add(1, ordering: .relaxed).newValue))
        return (client, connection)
    }

    /// Admits an authenticated client: finds or creates its session and attaches the connection (CONNACK).
    /// `handedOver`: the session as another node of the cluster held it (Clean Start 0 only).
    func admit(_ client: ClientInfo, connection: ClientConnection, packet: ConnectPacket,
               permissions: ClientPermissions, loopIndex: Int, handedOver: ByteBuffer? = nil) -> SessionHandle {
        let clientID = client.clientID
        let address = connection.address
        let loop = connection.channel.eventLoop
        let claim = registry.claim(clientID: clientID, cleanStart: packet.cleanStart) {
            SessionHandle(clientID: clientID, loop: loop, loopIndex: loopIndex, gate: routers.gate)
        }
        var restored = false
        if !claim.resumed {
            let session = Session(handle: claim.handle, core: self, client: client)
            claim.handle.session = session
            stats.totalSessions.store(registry.count, ordering: .relaxed)
            if let handedOver { restored = restore(handedOver, into: session) }
        }
        if let replaced = claim.replaced {
            replaced.withSession { $0.end(reason: "replaced by a clean start from \(address)", takenOver: true) }
        }
        let sessionPresent = claim.resumed || restored
        claim.handle.withSession { session in
            session.attach(connection, connect: packet, client: client, sessionPresent: sessionPresent,
                           permissions: permissions)
        }
        routers.cluster?.sessionClaimed(clientID: clientID)
        logger.info("connected from \(address) (MQTT \(packet.version), keepalive \(packet.keepAlive) s, clean \(packet.cleanStart))",
                    metadata: ["client-id": "\(clientID)"])
        return claim.handle
    }

    /// Takes a session another node handed over; a damaged image is logged and the session starts empty.
    private func restore(_ bytes: ByteBuffer, into session: Session) -> Bool {
        do {
            let image = try SessionImage(decoding: bytes, now: session.loop.now)
            session.restore(image)
            logger.info("session handed over by another node: \(image.subscriptions.count) subscriptions, \(image.outbound.count) in flight, \(image.pending.count) queued",
                        metadata: ["client-id": "\(session.clientID)"])
            return true
        } catch {
            logger.error("session handed over by another node could not be read (\(bytes.readableBytes) bytes): \(error); starting a new one",
                         metadata: ["client-id": "\(session.clientID)"])
            return false
        }
    }

    /// Sends a refusing CONNACK and closes (§3.2.2.2).
    func refuse(_ connection: ClientConnection, _ reason: ReasonCode, _ why: String) {
        logger.warning("connection from \(connection.address) refused: \(why) (\(reason))")
        connection.close(after: .connack(ConnAckPacket(sessionPresent: false, reason: reason)))
    }

    static func describe(_ address: SocketAddress) -> String {
        if let ip = address.ipAddress, let port = address.port {
            let text = address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
            // A copy of an interpolation is stored inline when it fits in 15 bytes (`10.0.0.12:52344`);
            // the interpolation itself holds a heap buffer that every connection would keep.
            return String(text[...])
        }
        return address.pathname ?? "\(address)"
    }

    static func randomSuffix() -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
