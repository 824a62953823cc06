/// What the dashboard asks the outside world to do. The state machine performs no I/O: the caller
/// executes these (`WritePlan.commands(for:channel:)` gives the exact Redis commands the confirm line
/// showed) and feeds results back as snapshots or status messages.
public enum Action: Sendable, Hashable {
    case quit
    case subscribe(clientID: String, filter: String, qos: Int)
    case unsubscribe(clientID: String, filter: String)
    case deleteRetained(topic: String)
    case togglePause
    case nextTheme
}
