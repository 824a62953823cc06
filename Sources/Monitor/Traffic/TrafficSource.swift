/// Where the Topics pane's messages come from: the embedded broker's tap, or attach mode's `--mqtt`
/// subscription. The console's UI loop drains it several times a second.
public protocol TrafficSource: Sendable {
    /// Everything since the last call, and resets.
    func drain() -> TrafficBatch
    /// Why the source sees nothing right now (not connected yet, refused), or nil while it works.
    var trouble: String? { get }
    /// The broker's counters where the source reads them (`$SYS` in attach mode); nil otherwise.
    var brokerFigures: BrokerFigures? { get }
}

extension TrafficSource {
    public var brokerFigures: BrokerFigures? { nil }
}
