#if canImport(Glibc)
import Glibc
#endif
import MQTTCore

/// Reads Mosquitto's `acl_file` format: `user NAME`, `topic [read|write|readwrite|deny] FILTER`,
/// `pattern [read|write|readwrite|deny] FILTER`, `#` comments and blank lines. Without an access word a
/// line gives `readwrite`; `read` lets a client subscribe and receive, `write` publish.
public enum ACLFileParser {
    public static func parse(file path: String) throws(ACLFileError) -> ACLFile {
        try parse(readFile(path), file: path)
    }

    private static func readFile(_ path: String) throws(ACLFileError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ACLFileError(file: path, line: 0, reason: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                throw ACLFileError(file: path, line: 0, reason: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func parse(_ text: String, file: String) throws(ACLFileError) -> ACLFile {
        var acl = ACLFile(path: file)
        var user: String?
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            func fail(_ reason: String) -> ACLFileError { ACLFileError(file: file, line: number, reason: reason) }
            let line = raw.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            let text = String(line.reversed())
            if text.isEmpty || text.hasPrefix("#") { continue }
            let (word, rest) = splitWord(text)
            switch word {
            case "user":
                guard !rest.isEmpty else { throw fail("\"user\" needs a username") }
                user = rest
                if acl.users[rest] == nil { acl.users[rest] = [] }
            case "topic", "pattern":
                let entry = try entry(rest, line: number, word: word, fail: fail)
                if word == "pattern" {
                    acl.patterns.append(entry)
                } else if let user {
                    acl.users[user, default: []].append(entry)
                } else {
                    acl.anonymous.append(entry)
                }
            default:
                throw fail("unknown directive \"\(word)\" (expected user, topic or pattern)")
            }
        }
        return acl
    }

    private static func entry(_ rest: String, line: Int, word: String,
                              fail: (String) -> ACLFileError) throws(ACLFileError) -> ACLFile.Entry {
        var (first, filter) = splitWord(rest)
        var access: ACLRule.Access = [.subscribe, .publish]
        var denies = false
        switch first {
        case "read": access = .subscribe
        case "write": access = .publish
        case "readwrite": break
        case "deny": denies = true
        default: filter = rest
        }
        guard !filter.isEmpty else { throw fail("\"\(word)\" needs a topic filter") }
        // %c and %u stand for one level each; the filter must be valid with any such value. (In `topic`
        // lines they are literal text, as in Mosquitto.)
        let shape = filter.split(separator: "%c", omittingEmptySubsequences: false).joined(separator: "x")
            .split(separator: "%u", omittingEmptySubsequences: false).joined(separator: "x")
        guard TopicFilter(shape) != nil else { throw fail("\"\(filter)\" is not a valid topic filter") }
        return ACLFile.Entry(filter: filter, access: access, denies: denies, line: line)
    }

    /// The first word and the rest of the line (which may hold spaces, as topic filters may).
    private static func splitWord(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (text, "") }
        let rest = text[space...].drop { $0 == " " || $0 == "\t" }
        return (String(text[..<space]), String(rest))
    }
}

/// A line of an ACL file that cannot be used.
public struct ACLFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let reason: String

    public var description: String { "\(file):\(line): \(reason)" }
}
