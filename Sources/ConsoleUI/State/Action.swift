/// What the dashboard asks the outside world to do. The state machine performs no I/O: the caller
/// executes these (`WritePlan.commands(for:channel:)` gives the exact Redis commands the confirm line
/// showed) and feeds results back as snapshots or status messages.
public enum Action: Sendable, Hashable {
    case quit
    case subscribe(clientID: String, filter: String, qos: Int)
    case unsubscribe(clientID: String, filter: String)
    case deleteRetained(topic: String)
    /// Publish through the broker (embedded) or the `--mqtt` connection (attach).
    case publish(topic: String, payload: String, qos: Int, retain: Bool)
    /// End a client's connection (DISCONNECT 0x98 to a 5.0 client); embedded modes only.
    case kick(clientID: String)
    case togglePause
    case nextTheme
}
