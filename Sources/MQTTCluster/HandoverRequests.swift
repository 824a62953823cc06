import Synchronization

/// The session requests this node has out: which nodes have not answered yet, and who waits for the first
/// that found the session (or for all to say none, or for the time bound).
final class HandoverRequests: Sendable {
    private struct Waiting {
        var remaining: Set<String>
        let continuation: CheckedContinuation<String?, Never>
    }

    private let waiting = Mutex<[String: Waiting]>([:])

    /// Waits for the node holding the session among `nodes`; nil when none has it or `timeout` passed.
    /// `ask` sends the request once the answers can be heard.
    func wait(_ request: String, from nodes: Set<String>, timeout: Duration, ask: @Sendable () -> Void) async -> String? {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { self.finish(request, with: nil) }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            waiting.withLock { $0[request] = Waiting(remaining: nodes, continuation: continuation) }
            ask()
        }
    }

    /// One node's answer.
    func answer(_ request: String, from node: String, found: Bool) {
        if found { return finish(request, with: node) }
        let done = waiting.withLock { waiting -> Bool in
            guard var entry = waiting[request] else { return false }
            entry.remaining.remove(node)
            waiting[request] = entry
            return entry.remaining.isEmpty
        }
        if done { finish(request, with: nil) }
    }

    /// A node left or died: it will not answer.
    func forget(_ node: String) {
        let done = waiting.withLock { waiting -> [String] in
            var finished: [String] = []
            for (request, var entry) in waiting where entry.remaining.remove(node) != nil {
                waiting[request] = entry
                if entry.remaining.isEmpty { finished.append(request) }
            }
            return finished
        }
        for request in done { finish(request, with: nil) }
    }

    private func finish(_ request: String, with node: String?) {
        waiting.withLock { $0.removeValue(forKey: request) }?.continuation.resume(returning: node)
    }
}
