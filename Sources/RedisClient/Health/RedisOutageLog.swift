import Logging
import Synchronization

/// Reports Redis outages the way an operator reads them: one line when an endpoint goes down, a summary at
/// most every ``summaryInterval`` while it stays down, one line when it is back.
///
/// Every pool, subscriber and cluster node of the process reports here, keyed by endpoint, so a refused
/// connect is one line however many connections were trying (the backend, its channel, the console, the
/// auth pool). Each attempt still goes to the `debug` level. Others (the backend's buffer) add what they know
/// to the summaries through ``addDetail(_:)``.
public final class RedisOutageLog: Sendable {
    /// The process's log.
    public static let shared = RedisOutageLog()
    public static let summaryInterval: Duration = .seconds(30)

    private struct Outage {
        var since: ContinuousClock.Instant
        var lastSummary: ContinuousClock.Instant
        var failedAttempts: Int
        var reason: String
    }

    private struct State {
        var outages: [String: Outage] = [:]
        var details: [Int: @Sendable () -> String?] = [:]
        var nextDetail = 0
    }

    private let state = Mutex(State())
    private let summaryInterval: Duration

    public init(summaryInterval: Duration = RedisOutageLog.summaryInterval) {
        self.summaryInterval = summaryInterval
    }

    /// Adds a provider of text for the summaries (`1,204 commands buffered, 0 dropped`); returns a token for
    /// ``removeDetail(_:)``.
    @discardableResult
    public func addDetail(_ provider: @escaping @Sendable () -> String?) -> Int {
        state.withLock { state in
            state.nextDetail += 1
            state.details[state.nextDetail] = provider
            return state.nextDetail
        }
    }

    public func removeDetail(_ token: Int) {
        _ = state.withLock { $0.details.removeValue(forKey: token) }
    }

    /// Whether `endpoint` is in an outage now.
    public func isDown(_ endpoint: String) -> Bool {
        state.withLock { $0.outages[endpoint] != nil }
    }

    /// A connection attempt to `endpoint` failed (`lost` when an open connection dropped).
    func failed(_ endpoint: String, reason: String, lost: Bool = false, logger: Logger,
                now: ContinuousClock.Instant = .now) {
        enum Report { case down, summary(Duration, Int), none }
        let (report, details) = state.withLock { state -> (Report, [@Sendable () -> String?]) in
            guard var outage = state.outages[endpoint] else {
                state.outages[endpoint] = Outage(since: now, lastSummary: now, failedAttempts: lost ? 0 : 1,
                                                 reason: reason)
                return (.down, [])
            }
            outage.failedAttempts += 1
            outage.reason = reason
            defer { state.outages[endpoint] = outage }
            guard now - outage.lastSummary >= summaryInterval else { return (.none, []) }
            outage.lastSummary = now
            return (.summary(now - outage.since, outage.failedAttempts), Array(state.details.values))
        }
        switch report {
        case .down where lost:
            logger.warning("lost the connection to Redis at \(endpoint): \(reason); reconnecting")
        case .down:
            logger.warning("cannot connect to Redis at \(endpoint): \(reason)")
        case .summary(let down, let attempts):
            let extra = Self.joined(details)
            logger.warning("Redis at \(endpoint) still unreachable after \(Self.describe(down)) (\(attempts) attempts; last: \(reason))\(extra)")
        case .none:
            break
        }
        logger.debug("Redis attempt failed", metadata: ["redis.endpoint": "\(endpoint)", "redis.error": "\(reason)"])
    }

    /// A connection to `endpoint` is up.
    func connected(_ endpoint: String, logger: Logger, now: ContinuousClock.Instant = .now) {
        let (ended, details) = state.withLock { state -> (Outage?, [@Sendable () -> String?]) in
            (state.outages.removeValue(forKey: endpoint), Array(state.details.values))
        }
        guard let ended else { return }
        logger.notice("Redis at \(endpoint) is reachable again after \(Self.describe(now - ended.since))\(Self.joined(details))")
    }

    /// The providers' texts as `; a; b`, or nothing.
    private static func joined(_ details: [@Sendable () -> String?]) -> String {
        let texts = details.compactMap { $0() }
        return texts.isEmpty ? "" : "; " + texts.joined(separator: "; ")
    }

    /// `45 s`, `3 min 20 s`, `2 h 5 min`.
    static func describe(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }
}
