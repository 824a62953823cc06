import NIOCore

/// The broker's side of a cluster: what it tells the node that speaks for it to the other nodes through
/// Redis. Without one (no `--cluster`), the broker is exactly a single broker.
///
/// Every call happens on a broker thread in the middle of its work, so each must return at once: note it,
/// queue it, never wait for Redis.
public protocol ClusterLink: Sendable {
    /// A filter (`$share/<group>/` prefix included) gained its first session on this node (`present`), or
    /// lost its last. Called in the order the broker read the SUBSCRIBEs and UNSUBSCRIBEs, under a lock.
    func interestChanged(_ filter: String, present: Bool)

    /// Calls `body` (on any thread) once the changes told so far are written to Redis and announced to the
    /// other nodes. A SUBSCRIBE that gave this node a new filter holds its SUBACK for it, so a client that
    /// has its SUBACK is in the cluster's route table. The broker bounds the wait itself.
    func whenAnnounced(_ body: @escaping @Sendable () -> Void)

    /// A message this node accepted (from one of its clients, the console or the backend), on loop `lane`:
    /// the link sends it to the nodes that want it. Never called for messages that came from another node
    /// or for `$SYS` topics, which each node publishes for itself. Returns the shared groups this node
    /// serves the message to (the others are served by the node the link sent them to), and a node it
    /// went to that is backing up (the publisher's acknowledgement then waits, see `FlowGate`).
    func forward(_ message: BrokerMessage, lane: Int) -> ForwardOutcome

    /// A session that gets another node's messages here is backing up: the link tells the nodes it hears
    /// from, and again once `probe` says it drained. Called on a broker loop: must return at once.
    func peerDeliveryCongested(_ probe: CongestionProbe)

    /// Loop `lane` ended a tick in which it called `forward`: what the link buffered for the tick goes out.
    func laneTickEnds(_ lane: Int)

    /// A client's connection was admitted here: a session of the same client id on another node ends
    /// (DISCONNECT 0x8E Session taken over), so the cluster has one session per client id.
    func sessionClaimed(clientID: String)

    /// The client's session as another node held it (`Broker.handOverSession` there), for a connection
    /// with Clean Start 0 that has no session here; nil when no node had one. Waits for the other nodes'
    /// answers, within a bound; the CONNACK waits for it.
    func fetchSession(clientID: String) async -> ByteBuffer?
}
