import NIOCore

/// A Redis command written in the configuration, e.g. `HSET sub:${clientid} ${topic} ${qos}`.
///
/// The text is split at spaces into words **before** any value is substituted, so a value holding
/// spaces, quotes or CR/LF stays exactly one argument: no value can add an argument or a command. The
/// first word, the command name, is never substituted.
public struct CommandTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One word: literal text and variables, in order.
    public struct Word: Sendable, Hashable {
        public enum Part: Sendable, Hashable {
            case literal(String)
            case variable(String)
        }
        public var parts: [Part]

        /// `${message}` alone: expands to the message's field/value list, several arguments.
        var isMessageExpansion: Bool { parts == [.variable("message")] }
    }

    public let text: String
    public let name: String
    public let words: [Word]

    /// Parses `text` for `hook`; throws a reason when a variable is malformed or not offered by the hook.
    public init(_ text: String, hook: HookPoint) throws(TemplateError) {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = tokens.first else { throw TemplateError("empty command") }
        if first.contains("${") { throw TemplateError("the command name \"\(first)\" cannot be a variable") }
        var words: [Word] = []
        for token in tokens.dropFirst() {
            let word = try Self.parseWord(token)
            for case .variable(let name) in word.parts {
                guard hook.templateVariables.contains(name) else {
                    let offered = hook.templateVariables.sorted().joined(separator: ", ")
                    throw TemplateError("${\(name)} is not offered by \(hook) (it offers \(offered))")
                }
                if name == "message" && !word.isMessageExpansion {
                    throw TemplateError("${message} must be a word of its own")
                }
            }
            words.append(word)
        }
        self.text = text
        self.name = first
        self.words = words
    }

    private static func parseWord(_ token: String) throws(TemplateError) -> Word {
        var parts: [Word.Part] = []
        var rest = Substring(token)
        while let open = rest.firstRange(of: "${") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw TemplateError("unclosed ${ in \"\(token)\"")
            }
            let name = String(rest[open.upperBound..<close])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw TemplateError("bad variable name \"\(name)\" in \"\(token)\"")
            }
            parts.append(.variable(name))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return Word(parts: parts)
    }

    /// The arguments for one event: each word becomes one argument (`${message}` several), values inserted
    /// as bytes, never re-split.
    func arguments(_ values: TemplateValues) -> [ByteBuffer] {
        var arguments: [ByteBuffer] = []
        arguments.reserveCapacity(words.count)
        for word in words {
            if word.isMessageExpansion, let fields = values.messageFields {
                arguments.append(contentsOf: fields)
                continue
            }
            var buffer = ByteBuffer()
            for part in word.parts {
                switch part {
                case .literal(let text): buffer.writeString(text)
                case .variable(let name):
                    if var value = values.value(name) { buffer.writeBuffer(&value) }
                }
            }
            arguments.append(buffer)
        }
        return arguments
    }

    public var description: String { text }
}

/// Why a template was refused.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The values one event offers to templates.
struct TemplateValues {
    var clientID: String?
    var topic: String?
    var qos: Int?
    var msgid: String?
    var payload: ByteBuffer?
    /// `id … from … qos … topic … payload … ts … retain …` for `${message}`.
    var messageFields: [ByteBuffer]?

    func value(_ name: String) -> ByteBuffer? {
        switch name {
        case "clientid": clientID.map { ByteBuffer(string: $0) }
        case "topic": topic.map { ByteBuffer(string: $0) }
        case "qos": qos.map { ByteBuffer(string: String($0)) }
        case "msgid": msgid.map { ByteBuffer(string: $0) }
        case "payload": payload
        default: nil
        }
    }
}
