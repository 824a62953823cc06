import RedisBackend

/// The invariants of the `emqx_backend_redis.conf` parser on any text a user could write.
///
/// - It either returns a configuration whose `check-config` explanation can be printed, or throws a
///   `ConfigError` that names this file and a line that exists (or line 0 for the file as a whole);
/// - CRLF line ends mean exactly what LF line ends do: same configuration, same error at the same line.
public enum BackendConfigCheck {
    static let name = "backend config parser"
    static let file = "fuzz.conf"

    public static func check(_ input: [UInt8]) throws(FuzzFinding) {
        let text = String(decoding: input, as: UTF8.self)
        let outcome = try parse(text)
        // Only when the text has no CR of its own, so the CRLF version is exactly the LF one re-ended.
        guard !input.contains(0x0D) else { return }
        let crlf = try parse(text.replacing("\n", with: "\r\n"))
        guard crlf == outcome else {
            throw FuzzFinding(name, "with CRLF line ends the file reads differently:\n  LF:   \(outcome)\n  CRLF: \(crlf)")
        }
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case understood([String])
        case refused(String)

        var description: String {
            switch self {
            case .understood(let lines): lines.joined(separator: " | ")
            case .refused(let error): "error: \(error)"
            }
        }
    }

    static func parse(_ text: String) throws(FuzzFinding) -> Outcome {
        do {
            return .understood(try BackendConfigParser.parse(text, file: file).explanation())
        } catch let error as ConfigError {
            let lineCount = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1
            guard error.location.file == file, (0...lineCount).contains(error.location.line) else {
                throw FuzzFinding(name, "the error names \(error.location), not a line of \(file) (\(lineCount) lines): \(error)")
            }
            return .refused(error.description)
        } catch {
            throw FuzzFinding(name, "threw \(type(of: error)), not ConfigError: \(error)")
        }
    }
}
