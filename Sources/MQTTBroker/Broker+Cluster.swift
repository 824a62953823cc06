/// What the node speaking for this broker in a cluster calls on it.
extension Broker {
    /// Messages another node accepted and sent here, in the order that node accepted them: retained ones
    /// update the retained store, every one goes to this node's matching subscribers. Nothing is stored by
    /// the backend or forwarded again: the node that accepted a message did both.
    public func acceptFromPeer(_ messages: [BrokerMessage]) {
        guard !messages.isEmpty else { return }
        core.acceptFromPeer(messages)
    }

    /// Every filter (`$share/<group>/` prefix included) with a session on this node now, for a node that
    /// announces its routes again (after Redis lost them). Empty without a cluster link.
    public var localFilters: [String] {
        core.routers.interest?.filters ?? []
    }
}
