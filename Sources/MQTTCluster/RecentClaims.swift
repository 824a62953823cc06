import Synchronization

/// When this node last admitted a connection of each client, for the last minute: a takeover announced by
/// another node ends the session here only if that node's connection is the newer one. A device that
/// hops from node A to node B and straight back to A keeps its new connection on A when B's takeover
/// arrives late.
///
/// Times are wall clocks of different nodes: they are compared as they are, so nodes need clocks in step
/// (NTP) to well under a reconnect's time. A takeover older than `horizon` (held back while Redis was
/// down) is ignored: by then the client has connected again wherever it is.
final class RecentClaims: Sendable {
    static let horizonMillis: Int64 = 30_000

    private struct State {
        var claims: [String: Int64] = [:]
        var oldestKept: Int64 = .max
    }

    private let state = Mutex(State())

    func record(_ clientID: String, atMillis now: Int64) {
        state.withLock { state in
            state.claims[clientID] = now
            state.oldestKept = min(state.oldestKept, now)
            // Pruned at most once per horizon, so a connect costs O(1) amortised.
            if now - state.oldestKept > 2 * Self.horizonMillis {
                state.claims = state.claims.filter { now - $0.value <= Self.horizonMillis }
                state.oldestKept = state.claims.values.min() ?? .max
            }
        }
    }

    /// Whether a session here should end for a claim made elsewhere at `claimMillis`.
    func shouldYield(_ clientID: String, toClaimAtMillis claimMillis: Int64, nowMillis: Int64) -> Bool {
        guard nowMillis - claimMillis <= Self.horizonMillis else { return false }
        return state.withLock { state in
            guard let mine = state.claims[clientID] else { return true }
            return mine <= claimMillis
        }
    }
}
