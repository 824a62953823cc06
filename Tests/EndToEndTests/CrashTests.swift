import Foundation
import Testing
import TestSupport

/// A crashed mqtop leaves nothing behind: it ends within a bound even when the crash handler after ours
/// hangs (the Swift backtracer once did), and its private redis-server goes with it.
@Suite struct CrashTests {
    @Test(arguments: ["crash", "hung-handler"])
    func aCrashEndsTheProcessAndItsRedis(mode: String) async throws {
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
    }
}
