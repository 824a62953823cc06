import Foundation
import Testing
import TestSupport

/// `mqtop serve --acl-file` with real mosquitto clients: allowed and refused subscriptions and publishes.
@Suite struct ACLFileServeTests {
    static let acl = """
        topic read public/#
        user alice
        topic readwrite sensors/#
        topic deny sensors/secret/#
        topic read devices/#
        pattern readwrite devices/%c/#
        """

    @Test func subscriptionsAndPublishesFollowTheFile() async throws {
        let directory = try TemporaryDirectory(prefix: "mqtop-acl")
        defer { directory.remove() }
        try Self.acl.write(toFile: directory.file("acl"), atomically: true, encoding: .utf8)
        let (mqtop, port) = try await MQTopBinary.serve(["--no-backend", "--acl-file", directory.file("acl")])

        // Refused at subscribe time: 0x80 in 3.1.1, 0x87 in 5.0 (mosquitto_sub then gives up).
        for (version, code) in [("mqttv311", "128"), ("mqttv5", "135")] {
            let (_, output) = try await runCommand("mosquitto_sub", ["-p", String(port), "-d", "-V", version, "-i", "anon",
                                                                    "-t", "sensors/#"], timeout: .seconds(10))
            #expect(output.contains("Subscribed (mid: 1): \(code)"), "\(output)")
            #expect(output.contains("All subscription requests were denied"))
        }

        let alice = try await MosquittoSubscriber.start(port: port, ["-i", "alice-1", "-u", "alice", "-q", "1",
                                                                     "-t", "sensors/#", "-t", "devices/#"])
        #expect(!alice.process.outputText.contains(": 128"))
        let reader = try await MosquittoSubscriber.start(port: port, ["-i", "reader", "-q", "1", "-t", "public/#"])
        // An anonymous publish to sensors/ is dropped (3.1.1 cannot say no); alice's own goes through, but not
        // to the denied sub-tree, even under her sensors/# subscription.
        try await mosquittoPub(port: port, ["-i", "anon-pub", "-q", "1", "-t", "sensors/kitchen", "-m", "from anon"])
        try await mosquittoPub(port: port, ["-i", "alice-2", "-u", "alice", "-q", "1", "-t", "sensors/secret/x", "-m", "secret"])
        try await mosquittoPub(port: port, ["-i", "alice-2", "-u", "alice", "-q", "1", "-t", "sensors/kitchen", "-m", "from alice"])
        // The pattern lets dev-7 write under devices/dev-7/ only.
        try await mosquittoPub(port: port, ["-i", "dev-7", "-q", "1", "-t", "devices/alice-1/cmd", "-m", "not its own"])
        try await mosquittoPub(port: port, ["-i", "dev-7", "-q", "1", "-t", "devices/dev-7/up", "-m", "its own"])
        #expect(try await alice.waitForMessages(2) == ["sensors/kitchen from alice", "devices/dev-7/up its own"])
        // Anonymous may read public/ but not write it.
        try await mosquittoPub(port: port, ["-i", "anon-pub", "-q", "1", "-t", "public/news", "-m", "refused"])
        try await mosquittoPub(port: port, ["-i", "alice-2", "-u", "alice", "-q", "1", "-t", "sensors/end", "-m", "end"])
        try await alice.waitForMessages(3)
        #expect(reader.messages.isEmpty)
        #expect(mqtop.outputText.contains("denied by ACL"))
        for client in [alice, reader] { await client.stop() }
        mqtop.signal(SIGTERM)
        _ = try await mqtop.waitForExit()
    }

    @Test func aBadLineStopsTheStartNamingFileAndLine() async throws {
        let directory = try TemporaryDirectory(prefix: "mqtop-acl")
        defer { directory.remove() }
        try "topic read ok/#\nuser bob\ntopc write x\n".write(toFile: directory.file("acl"), atomically: true, encoding: .utf8)
        let (status, output) = try await runCommand(MQTopBinary.path, ["serve", "--no-backend", "--listen",
                                                                      "127.0.0.1:0",
                                                                      "--acl-file", directory.file("acl")])
        #expect(status != 0)
        #expect(output.contains("\(directory.file("acl")):3: unknown directive \"topc\""))
    }
}
