import Foundation

/// Making untrusted text (client ids, topics, payloads) safe to show in one terminal cell row.
///
/// Anything that reaches the screen from Redis may contain newlines, escape sequences or invalid UTF-8;
/// printed raw, an ESC would let a client re-colour or move the operator's terminal.
public enum Escaping {
    /// Control characters as `\n`, `\r`, `\t`, `\e`, or `\xNN`; a backslash stays a single backslash.
    public static func controls(_ text: String) -> String {
        var out = ""
        for character in text {
            guard CharWidth.isControl(character) else {
                out.append(character)
                continue
            }
            // A control grapheme may hold several scalars (`\r\n`): escape each one.
            for scalar in character.unicodeScalars { out += escape(scalar.value) }
        }
        return out
    }

    /// A payload as one line of text: valid UTF-8 is shown with controls escaped, each invalid byte as `\xNN`.
    public static func payload(_ data: Data) -> String {
        var out = ""
        for piece in decode(data) {
            switch piece {
            case .text(let s): out += controls(s)
            case .invalid(let byte): out += "\\x" + hex(byte)
            }
        }
        return out
    }

    /// A payload as lines: like `payload(_:)` but newlines break lines and tabs become spaces.
    public static func payloadLines(_ data: Data) -> [String] {
        var out = ""
        for piece in decode(data) {
            switch piece {
            case .text(let s):
                for character in s {
                    if character == "\n" || character == "\r\n" {
                        out.append("\n")
                    } else if character == "\t" {
                        out += "    "
                    } else if CharWidth.isControl(character) {
                        for scalar in character.unicodeScalars { out += escape(scalar.value) }
                    } else {
                        out.append(character)
                    }
                }
            case .invalid(let byte): out += "\\x" + hex(byte)
            }
        }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// True when every byte is part of valid UTF-8.
    public static func isValidUTF8(_ data: Data) -> Bool {
        String(validating: data, as: UTF8.self) != nil
    }

    // MARK: - Pieces

    enum Piece {
        case text(String)
        case invalid(UInt8)
    }

    /// Splits bytes into runs of valid UTF-8 and single invalid bytes. The loop index only moves forward,
    /// by at least one byte per step, so it ends after at most `bytes.count` steps.
    static func decode(_ data: Data) -> [Piece] {
        let bytes = [UInt8](data)
        var pieces: [Piece] = []
        var pending: [UInt8] = []
        var index = 0
        for _ in 0..<bytes.count {
            guard index < bytes.count else { break }
            let length = sequenceLength(bytes[index])
            let end = index + length
            if length > 0, end <= bytes.count, String(validating: bytes[index..<end], as: UTF8.self) != nil {
                pending.append(contentsOf: bytes[index..<end])
                index = end
            } else {
                if !pending.isEmpty {
                    pieces.append(.text(String(decoding: pending, as: UTF8.self)))
                    pending.removeAll()
                }
                pieces.append(.invalid(bytes[index]))
                index += 1
            }
        }
        if !pending.isEmpty { pieces.append(.text(String(decoding: pending, as: UTF8.self))) }
        return pieces
    }

    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    private static func escape(_ v: UInt32) -> String {
        switch v {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x1B: return "\\e"
        case 0x00: return "\\0"
        default: return v < 0x100 ? "\\x" + hex(UInt8(v)) : "\\u{" + String(v, radix: 16) + "}"
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
