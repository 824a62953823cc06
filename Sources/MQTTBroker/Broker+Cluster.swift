import NIOCore

/// What the node speaking for this broker in a cluster calls on it.
extension Broker {
    /// Messages another node accepted and sent here, in the order that node accepted them: retained ones
    /// update the retained store, every one goes to this node's matching subscribers. Nothing is stored by
    /// the backend or forwarded again: the node that accepted a message did both.
    public func acceptFromPeer(_ messages: [PeerMessage]) {
        guard !messages.isEmpty else { return }
        core.acceptFromPeer(messages)
    }

    /// Ends the client's session here because a connection on `node` took it over: DISCONNECT 0x8E to a
    /// 5.0 client, its will published, its subscriptions gone. False when it has no session here.
    @discardableResult
    public func takeOver(clientID: String, byNode node: String) async -> Bool {
        guard let handle = core.registry.lookup(clientID) else { return false }
        return await core.routers.gate.submit(on: handle.loop) { () -> Bool in
            guard let session = handle.session else { return false }
            session.end(reason: BrokerEvent.takenOverByAnotherNode + node, takenOver: true)
            return true
        } ?? false
    }

    /// Hands the client's session to `node`, where the client connected again: its connection here ends
    /// (DISCONNECT 0x8E), and the session's subscriptions and QoS 1/2 messages in flight and queued come
    /// back as bytes for `fetchSession` on that node; nil when it has no session here.
    public func handOverSession(clientID: String, toNode node: String) async -> ByteBuffer? {
        guard let handle = core.registry.lookup(clientID) else { return nil }
        return await core.routers.gate.submit(on: handle.loop) { handle.session?.handOver(toNode: node) } ?? nil
    }

    /// A gate for the acknowledgements of publishers whose messages go to another node (`FlowGate`).
    public func makeFlowGate(name: String) -> FlowGate {
        let entry = core.routers.entries[0]
        return FlowGate(handle: SessionHandle(clientID: "node " + name, loop: entry.loop, loopIndex: 0,
                                              gate: core.routers.gate))
    }

}
