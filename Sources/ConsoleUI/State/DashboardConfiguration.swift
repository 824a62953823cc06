import Foundation

/// Settings fixed for a console session.
public struct DashboardConfiguration: Sendable, Hashable {
    /// `--readonly`: `s`, `u` and `d` are refused and the footer says so.
    public var readOnly: Bool
    /// The pub/sub channel brokers listen on for SUB/UNSUB messages (EMQX's `mqtt_channel` by default).
    public var channel: String
    /// Zone for the Events strip clock; tests pin it to UTC.
    public var timeZone: TimeZone

    public init(readOnly: Bool = false, channel: String = WritePlan.defaultChannel, timeZone: TimeZone = .current) {
        self.readOnly = readOnly
        self.channel = channel
        self.timeZone = timeZone
    }
}
