import Foundation
import Testing
import TestSupport

/// A crashed mqtop leaves nothing behind: it ends within a bound even when the crash handler after ours
/// hangs (the Swift backtracer once did), and its private redis-server goes with it.
/// Serialized: each case looks for the backtracer its own crash started.
@Suite(.serialized) struct CrashTests {
    @Test(arguments: ["crash", "hung-handler"])
    func aCrashEndsTheProcessAndItsRedis(mode: String) async throws {
        let backtracersBefore = Self.swiftBacktracers()
        let data = try TemporaryDirectory(prefix: "mqtop-crash")
        defer { data.remove() }
        let mqtop = try ChildProcess(MQTopBinary.path, ["serve", "--listen", "127.0.0.1:0", "--data-dir", data.path],
                                     environment: ["MQTOP_CRASH_FOR_TEST": mode])
        let redisPID = try await waitForValue("the private redis-server's pid", timeout: .seconds(30)) { () -> Int32? in
            if !mqtop.isRunning, !FileManager.default.fileExists(atPath: data.file("redis.pid")) {
                throw MQTopExited(output: mqtop.outputText)
            }
            return (try? String(contentsOfFile: data.file("redis.pid"), encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        // The guard's bound is 3 s; a hung handler is cut off by it, a plain crash ends sooner.
        _ = try await mqtop.waitForExit(timeout: .seconds(15))
        #expect(mqtop.outputText.contains("mqtop: crashed"))
        try await waitUntil("the private redis-server gone after the crash", timeout: .seconds(10)) {
            kill(redisPID, 0) != 0
        }
        // The Swift backtracer it started, cut off by the bound, goes with it instead of waiting forever.
        try await waitUntil("no swift-backtrace left behind", timeout: .seconds(10)) {
            Self.swiftBacktracers().subtracting(backtracersBefore).isEmpty
        }
    }

    /// The pids of the `swift-backtrace` processes running now.
    static func swiftBacktracers() -> Set<Int32> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return Set(entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let name = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                  name.hasPrefix("swift-backtrace") else { return nil }
            return pid
        })
    }
}
