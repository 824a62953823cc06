@testable import MQTTBroker
import NIOCore
import Testing

/// `--max-publish-rate` as a token bucket on a manual clock: a burst of one second's worth, then a pause that
/// gives exactly the tokens back.
@Suite struct PublishRateLimiterTests {
    @Test func aBurstIsFreeThenThePublisherIsPacedAtTheRate() throws {
        var now = NIODeadline.uptimeNanoseconds(5_000_000_000)
        let limiter = PublishRateLimiter(ratePerSecond: 50, now: now)
        for n in 1...50 { #expect(limiter.take(now: now) == nil, "publish \(n) of the burst") }
        // Past the burst, each publish is read and then reading pauses for its share: 20 ms at 50/s (plus the
        // limiter's millisecond of slack), so over ten seconds of pausing about 500 more get in, not more.
        let first = try #require(limiter.take(now: now))
        #expect(first >= .milliseconds(20) && first <= .milliseconds(22))
        now = now + first
        var paced = 1
        let end = now + .seconds(10)
        while now < end {
            if let pause = limiter.take(now: now) { now = now + pause }
            paced += 1
        }
        #expect((490...510).contains(paced), "\(paced) publishes in 10 s at 50/s")
    }

    @Test func anIdleClientGetsNoMoreThanOneBurst() {
        var now = NIODeadline.uptimeNanoseconds(0)
        let limiter = PublishRateLimiter(ratePerSecond: 10, now: now)
        now = now + .seconds(60)
        var free = 0
        while limiter.take(now: now) == nil { free += 1 }
        #expect(free == 10)
    }
}
