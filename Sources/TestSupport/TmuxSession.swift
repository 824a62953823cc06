import Foundation
import ProcessSpawning

/// A program running in a real terminal: a private tmux server (its own socket, no user config), keys
/// sent with send-keys, the screen read with capture-pane. Every wait polls for a state-specific text,
/// with a bound; nothing sleeps blindly.
public final class TmuxSession: Sendable {
    public let socket: String
    public let name = "mqtop"
    private let statusFile: String
    private let directory: TemporaryDirectory

    /// Starts `command` (a shell command line) in a `width`×`height` terminal.
    public init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) async throws {
        directory = try TemporaryDirectory(prefix: "tmux")
        socket = "mqtop-test-\(UUID().uuidString.prefix(8))"
        statusFile = directory.file("status")
        let exports = environment.map { "export \($0.key)='\($0.value)'; " }.joined()
        // The wrapper records the exit status; remain-on-exit keeps the server up for the last capture.
        // and the terminal's settings right after, as the user's shell would find them.
        let wrapped = "\(exports)\(command); code=$?; stty -a > \(directory.file("stty")) 2>&1; echo $code > \(statusFile)"
        let (status, output) = try await runCommand("tmux", ["-L", socket, "-f", "/dev/null", "new-session", "-d",
                                                             "-s", name, "-x", String(width), "-y", String(height),
                                                             wrapped, ";", "set-option", "-t", name,
                                                             "remain-on-exit", "on"])
        guard status == 0 else { throw TmuxError(output: output) }
    }

    /// The screen as text, one line per row (trailing blanks trimmed by tmux).
    public func capture() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", name])
    }

    /// Sends tmux key names (`Enter`, `Escape`, `Tab`, `Up`, `C-c`) or, with `literal`, text as typed.
    public func send(_ keys: String..., literal: Bool = false) async throws {
        try await tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// The screen and the rows scrolled off it, a line wrapped over several rows joined into one: what a
    /// process printed last, however the terminal's width cut it.
    public func captureOutput() async throws -> String {
        try await tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", name])
    }

    /// Waits until the screen contains `text` (with `scrollback`, the rows above it too, wrapped lines
    /// joined); the error shows the last screen.
    @discardableResult
    public func waitFor(_ text: String, scrollback: Bool = false, timeout: Duration = .seconds(15)) async throws -> String {
        var screen = ""
        do {
            try await waitUntil("\"\(text)\" on screen", timeout: timeout, poll: .milliseconds(50)) {
                screen = (try? await (scrollback ? captureOutput() : capture())) ?? ""
                return screen.contains(text)
            }
        } catch {
            // The screen goes to a file as well: box drawing in an error message is hard to read in some logs.
            let file = FileManager.default.temporaryDirectory.path + "/mqtop-last-screen-\(socket).txt"
            try? screen.write(toFile: file, atomically: true, encoding: .utf8)
            throw TmuxError(output: "timed out waiting for \"\(text)\" (screen saved in \(file)):\n\(screen)")
        }
        return screen
    }

    /// Waits until `condition` holds for the screen.
    @discardableResult
    public func waitForScreen(_ what: String, timeout: Duration = .seconds(15),
                              _ condition: @escaping (String) -> Bool) async throws -> String {
        var screen = ""
        do {
            try await waitUntil(what, timeout: timeout, poll: .milliseconds(50)) {
                screen = (try? await capture()) ?? ""
                return condition(screen)
            }
        } catch {
            throw TmuxError(output: "timed out waiting for \(what); screen:\n\(screen)")
        }
        return screen
    }

    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// The program's exit status once it has ended.
    public func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        try await waitForValue("the program in tmux to exit", timeout: timeout, poll: .milliseconds(50)) {
            (try? String(contentsOfFile: statusFile, encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// Whether the program left the terminal in cooked mode with echo (what the user's shell needs):
    /// the settings `stty -a` saw right after it exited.
    public func terminalRestored() async throws -> Bool {
        _ = try await waitForExit()
        let settings = (try? String(contentsOfFile: directory.file("stty"), encoding: .utf8)) ?? ""
        let flags = Set(settings.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        return flags.contains("icanon") && flags.contains("echo") && flags.contains("isig")
    }

    public func stop() async {
        _ = try? await tmux(["kill-server"])
        directory.remove()
    }

    /// A test that failed before `stop()` still takes its terminal, and the program in it, down.
    deinit {
        let devNull = open("/dev/null", O_RDONLY)
        if let pid = try? Spawn.start(["tmux", "-L", socket, "kill-server"], environment: ProcessInfo.processInfo.environment,
                                      stdinFD: devNull) {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(devNull)
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        let (status, output) = try await runCommand("tmux", ["-L", socket] + arguments)
        guard status == 0 else { throw TmuxError(output: output) }
        return output
    }
}

public struct TmuxError: Error, CustomStringConvertible {
    public let output: String
    public var description: String { "tmux: \(output)" }
}
