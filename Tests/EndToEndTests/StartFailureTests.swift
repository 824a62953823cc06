import Foundation
import Testing
import TestSupport

/// A broker that cannot start (its address is taken) undoes what started before it: the backend and the
/// private redis-server stop, and mqtop exits with an error that names the address.
@Suite struct StartFailureTests {
    @Test func aTakenAddressStopsTheBackendAndThePrivateRedis() async throws {
        let holder = try await MQTopBinary.serve(["--no-backend"])
        defer { holder.process.signal(SIGKILL) }
        let data = try TemporaryDirectory(prefix: "mqtop-startfail")
        defer { data.remove() }
        let address = "127.0.0.1:\(holder.port)"
        let mqtop = try ChildProcess(MQTopBinary.path, ["serve", "--listen", address, "--data-dir", data.path])
        let status = try await mqtop.waitForExit(timeout: .seconds(30))
        #expect(status != 0)
        #expect(mqtop.outputText.contains(String(holder.port)), "the error names the address: \(mqtop.outputText)")
        // The private redis-server had started (the backend connects before the broker binds) and is gone now.
        let pidText = try String(contentsOfFile: data.file("redis.pid"), encoding: .utf8)
        let redisPID = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        try await waitUntil("the private redis-server stopped with mqtop", timeout: .seconds(10)) {
            kill(redisPID, 0) != 0
        }
        #expect(!mqtop.outputText.contains("crashed"))
    }
}
