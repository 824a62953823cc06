import ConsoleUI
import Foundation
import Logging
import Monitor
import RedisClient
import ServiceLifecycle

/// The console as a service: the monitor sweeping Redis, in embedded mode the broker's live figures, and
/// the UI loop on a thread of its own (it blocks in ncurses, and must not take one of the few threads the
/// rest of mqtop runs on). Quitting the console ends the whole service group.
struct ConsoleService: Service {
    let monitor: RedisMonitor
    let live: (@Sendable () async -> LiveFigures)?
    let configuration: DashboardConfiguration
    let themeName: String
    let writer: MonitorWriter?
    /// The Topics pane's messages (the broker's tap, or attach mode's `--mqtt` link).
    let traffic: (any TrafficSource)?
    /// What `P` and `k` act through.
    let actions: (any ConsoleBrokerActions)?
    let logger: Logger

    func run() async throws {
        let inbox = ConsoleInbox()
        let monitor = self.monitor
        let sweeps = Task { await monitor.run { inbox.post($0) } }
        let figures = Task {
            guard let live else { return }
            while !Task.isCancelled {
                inbox.post(await live())
                try? await Task.sleep(for: .seconds(1))
            }
        }
        defer {
            sweeps.cancel()
            figures.cancel()
        }
        let loop = ConsoleLoop(inbox: inbox, configuration: configuration, themeName: themeName, writer: writer,
                               traffic: traffic, actions: actions, initial: monitor.snapshot,
                               recordEvent: { event in monitor.record(event) { inbox.post($0) } }, logger: logger)
        // A graceful shutdown (SIGTERM) and a cancelled group (the engine failed to start) both end the loop.
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await Self.onThread { try loop.run() }
            } onGracefulShutdown: {
                inbox.requestStop()
            }
        } onCancel: {
            inbox.requestStop()
        }
        sweeps.cancel()
        await monitor.client.close()
    }

    /// Runs `body` on a new thread and waits for it without holding a cooperative thread.
    static func onThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                do {
                    try body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "mqtop-console"
            thread.start()
        }
    }
}
