/// Flow control across nodes (see `FlowControl`): while another node reports that subscribers it feeds
/// from this one are backing up, the acknowledgements of publishers whose messages go there wait here, so
/// their inflight windows pace them as a congested local subscriber would.
///
/// Made by `Broker.makeFlowGate` for the cluster link, one per other node; parked acknowledgements go out
/// on `relieve`, or on `releaseParked` (the link calls it every `FlowControl.maximumHold` while congested,
/// so a node that never reports relief does not stall its publishers for good).
public final class FlowGate: Sendable {
    let handle: SessionHandle

    init(handle: SessionHandle) {
        self.handle = handle
    }

    public var isCongested: Bool { handle.isCongested }
    public func congest() { handle.congestFlow() }
    public func relieve() { handle.relieveFlow() }
    public func releaseParked() { handle.releaseParkedAcks() }
}

/// A session this node delivered another node's messages to, whose queue is backing up: the cluster
/// link watches it and tells that node when it drained.
public struct CongestionProbe: Sendable {
    let handle: SessionHandle

    public var isCongested: Bool { handle.isCongested }
    /// Which session, for telling probes apart.
    public var id: ObjectIdentifier { ObjectIdentifier(handle) }
}

/// What the cluster link did with a message: the shared groups this node serves it to, and a node that is
/// backing up among those it went to.
public struct ForwardOutcome: Sendable {
    public var shared: SharedSelection
    public var congested: FlowGate?

    public init(shared: SharedSelection = .all, congested: FlowGate? = nil) {
        self.shared = shared
        self.congested = congested
    }
}
