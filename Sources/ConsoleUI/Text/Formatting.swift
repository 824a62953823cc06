import Foundation

/// Short human formats for the panes: ages, clock times, rates, byte counts.
public enum Formatting {
    /// Compact age: `3s`, `12m`, `5h`, `2d`. Negative ages (clock skew between nodes) read as `0s`.
    public static func age(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }

    /// Age of a unix-ms timestamp at `now`, or nil when unknown.
    public static func age(since unixMilliseconds: Int64?, now: Date) -> String? {
        guard let unixMilliseconds else { return nil }
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        return age(milliseconds: nowMs - unixMilliseconds)
    }

    /// `12m ago`, or nil when unknown.
    public static func relative(since unixMilliseconds: Int64?, now: Date) -> String? {
        age(since: unixMilliseconds, now: now).map { UIStrings.ago($0) }
    }

    /// `HH:mm:ss` in the given time zone, computed without a locale or a DateFormatter.
    public static func clock(_ date: Date, timeZone: TimeZone) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(timeZone.secondsFromGMT(for: date))
        let ofDay = ((seconds % 86_400) + 86_400) % 86_400
        return pad2(ofDay / 3600) + ":" + pad2((ofDay / 60) % 60) + ":" + pad2(ofDay % 60)
    }

    /// `0`, `950`, `1.4k`, `12k`, `3.1M`: three significant characters or so, for header figures.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let v = max(0, value)
        if v < 1000 { return String(Int(v.rounded())) }
        if v < 9_950 { return oneDecimal(v / 1000) + "k" }
        if v < 1_000_000 { return String(Int((v / 1000).rounded())) + "k" }
        if v < 9_950_000 { return oneDecimal(v / 1_000_000) + "M" }
        return String(Int((v / 1_000_000).rounded())) + "M"
    }

    /// Byte counts as `512 B`, `1.5 KB`, `12 MB`.
    public static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return (value < 10 ? oneDecimal(value) : String(Int(value.rounded()))) + " " + units[unit]
    }

    private static func oneDecimal(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func pad2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
