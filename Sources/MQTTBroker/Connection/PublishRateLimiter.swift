import NIOCore

/// A token bucket for one client's PUBLISH packets (`--max-publish-rate`). When it runs dry the connection
/// stops reading until tokens are back: the client is slowed by TCP, nothing it sent is dropped.
///
/// A class: only brokers started with a rate have one per connection, the rest keep an empty reference.
final class PublishRateLimiter {
    let ratePerSecond: Double
    let burst: Double
    private var tokens: Double
    private var updated: NIODeadline

    init(ratePerSecond: Int, now: NIODeadline) {
        self.ratePerSecond = Double(ratePerSecond)
        burst = max(Double(ratePerSecond), 1)
        tokens = burst
        updated = now
    }

    /// Takes a token for one PUBLISH. Returns how long to pause reading, or nil to go on.
    func take(now: NIODeadline) -> TimeAmount? {
        let elapsed = Double((now - updated).nanoseconds) / 1e9
        tokens = min(burst, tokens + elapsed * ratePerSecond)
        updated = now
        tokens -= 1
        guard tokens < 0 else { return nil }
        return .nanoseconds(Int64(-tokens / ratePerSecond * 1e9) + 1_000_000)
    }
}
