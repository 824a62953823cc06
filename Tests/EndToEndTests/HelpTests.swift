import Foundation
import Testing
import TestSupport

/// `mqtop --help` reads as paragraphs: no line break inside a sentence, whatever the width.
@Suite struct HelpTests {
    @Test func theOverviewWrapsOnlyAtTheTerminalsWidth() async throws {
        let (status, output) = try await runCommand("/usr/bin/env", ["COLUMNS=200", MQTopBinary.path, "--help"])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains { $0.contains("an MQTT broker on 127.0.0.1:1883 whose Redis backend writes the EMQX layout to a private redis-server.") },
                "\(output)")
        #expect(lines.contains { $0.hasPrefix("Keys: ? help") && $0.hasSuffix("q quit.") }, "\(output)")
    }

    /// A loop count the broker cannot have is refused before anything starts, saying the range.
    @Test(arguments: ["0", "1025"])
    func anImpossibleThreadCountIsRefused(threads: String) async throws {
        let (status, output) = try await runCommand(MQTopBinary.path, ["serve", "--no-backend", "--threads", threads])
        #expect(status != 0)
        #expect(output.contains("--threads must be between 1 and 1024"), "\(output)")
    }
}
