import Foundation

/// Settings fixed for a console session.
public struct DashboardConfiguration: Sendable, Hashable {
    /// `--readonly`: every writing key (`s`, `u`, `d`, `P`, `k`) is refused and the footer says so.
    public var readOnly: Bool
    /// The pub/sub channel brokers listen on for SUB/UNSUB messages (EMQX's `mqtt_channel` by default).
    public var channel: String
    /// Zone for the Events strip clock; tests pin it to UTC.
    public var timeZone: TimeZone
    /// `k` can end connections: only the embedded broker's own.
    public var canKick: Bool
    /// `P` has a way to publish: the embedded broker, or attach mode's `--mqtt` connection.
    public var canPublish: Bool

    public init(readOnly: Bool = false, channel: String = WritePlan.defaultChannel, timeZone: TimeZone = .current,
                canKick: Bool = true, canPublish: Bool = true) {
        self.readOnly = readOnly
        self.channel = channel
        self.timeZone = timeZone
        self.canKick = canKick
        self.canPublish = canPublish
    }
}
