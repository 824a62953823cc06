import RESP

/// One reply of a `SCAN` walk: the keys it returned (possibly none) and an estimate of how much of the
/// keyspace has been walked, so a console can say `scanning 45%` instead of showing a partial count as
/// if it were final.
public struct ScanPage: Sendable, Hashable {
    public var keys: [String]
    /// 0 ..< 1 while walking; exactly 1 only on the last page.
    public var progress: Double

    public init(keys: [String], progress: Double) {
        self.keys = keys
        self.progress = progress
    }
}

extension RedisClient {
    /// Iterates keys with `SCAN` on every server holding keys (every master in a cluster), yielding each
    /// batch as it arrives. Keys may repeat (a property of SCAN); keys added during the walk may be missed.
    ///
    /// - Parameters:
    ///   - match: a glob pattern (`MATCH`), or all keys.
    ///   - count: the `COUNT` hint per call.
    ///   - type: only keys of this type (`TYPE`, e.g. `hash`).
    public func scan(match: String? = nil, count: Int? = nil, type: String? = nil) -> AsyncThrowingStream<[String], any Error> {
        let router = self.router
        return Self.stream { yield in
            try await Self.walk(router, match: match, count: count, type: type) { page in
                if !page.keys.isEmpty { yield(page.keys) }
            }
        }
    }

    /// `scan`, one page per `SCAN` reply, empty ones included, each with the walk's progress.
    ///
    /// Progress is estimated per server as keys examined over `DBSIZE`: each `SCAN` call examines about
    /// `COUNT` keys before `MATCH` and `TYPE` filter them, whatever the cursor encoding (a cluster node's
    /// cursor carries its slot). It is capped below 1 until a server's cursor returns to 0, so a walk
    /// never looks finished early; servers count equally.
    public func scanPages(match: String? = nil, count: Int? = nil, type: String? = nil) -> AsyncThrowingStream<ScanPage, any Error> {
        let router = self.router
        return Self.stream { yield in
            try await Self.walk(router, match: match, count: count, type: type, yield)
        }
    }

    /// The walk both streams share: every scan target, cursor to cursor, one `page` per reply.
    private static func walk(_ router: any RedisRouter, match: String?, count: Int?, type: String?,
                             _ page: (ScanPage) -> Void) async throws {
        let perCall = Double(count ?? 10)
        let targets = try await router.scanTargets()
        for (index, target) in targets.enumerated() {
            // Only for the estimate: a server that refuses DBSIZE (an ACL) is walked all the same.
            let size = (try? await target.send(RedisCommand("DBSIZE")))?.int ?? 0
            var cursor = "0"
            var calls = 0.0
            repeat {
                try Task.checkCancellation()
                var arguments: [RESPArgument] = [RESPArgument(cursor)]
                if let match { arguments += ["MATCH", RESPArgument(match)] }
                if let count { arguments += ["COUNT", RESPArgument(count)] }
                if let type { arguments += ["TYPE", RESPArgument(type)] }
                let reply = try await target.send(RedisCommand("SCAN", arguments))
                guard let parts = reply.array, parts.count == 2, let next = parts[0].string,
                      let keys = parts[1].array else {
                    throw RedisError(.protocolError, "unexpected SCAN reply \(reply)", command: "SCAN",
                                     endpoint: target.endpoint)
                }
                cursor = next
                calls += 1
                let within = cursor == "0" ? 1 : size > 0 ? min(0.99, calls * perCall / Double(size)) : 0
                page(ScanPage(keys: keys.compactMap(\.string), progress: (Double(index) + within) / Double(targets.count)))
            } while cursor != "0"
        }
        if targets.isEmpty { page(ScanPage(keys: [], progress: 1)) }
    }

    /// A stream fed by `body` in a task of its own, cancelled when the consumer stops listening.
    private static func stream<Element: Sendable>(
        _ body: @escaping @Sendable (_ yield: (Element) -> Void) async throws -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await body { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
