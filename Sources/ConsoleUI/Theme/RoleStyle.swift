/// A colour in a theme entry: a literal, or a palette name looked up when the theme is used, so a user
/// file that changes `accent` in `[palette]` recolours every role built on it.
enum ColorRef: Sendable, Hashable {
    case literal(TermColor)
    case palette(String)
}

/// What a theme says about one role: optional colours and attributes.
struct RoleStyle: Sendable, Hashable {
    var foreground: ColorRef?
    var background: ColorRef?
    var attributes: TextAttributes = []

    /// Parses `bold black on cyan`, `dim`, `accent`, `on #202020`, or "" (plain). Returns the error text
    /// on failure. `isPaletteName` says whether a word names a palette entry.
    static func parse(_ value: String, isPaletteName: (String) -> Bool) -> Result<RoleStyle, RoleStyleError> {
        var style = RoleStyle()
        var expectBackground = false
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map({ String($0).lowercased() }) {
            if let attribute = attributeNames[word] {
                guard !expectBackground else { return .failure(.init("expected a colour after 'on', found '\(word)'")) }
                style.attributes.insert(attribute)
                continue
            }
            if word == "on" {
                guard !expectBackground, style.background == nil else { return .failure(.init("'on' given twice")) }
                expectBackground = true
                continue
            }
            let color: ColorRef
            if let literal = TermColor(parsing: word) {
                color = .literal(literal)
            } else if isPaletteName(word) {
                color = .palette(word)
            } else {
                return .failure(.init("unknown colour '\(word)' (use default, an ANSI name, bright_<name>, "
                                      + "color0–color255, #rrggbb, or a [palette] name)"))
            }
            if expectBackground {
                style.background = color
                expectBackground = false
            } else {
                guard style.foreground == nil else { return .failure(.init("two foreground colours; use 'on' for the background")) }
                style.foreground = color
            }
        }
        if expectBackground { return .failure(.init("missing colour after 'on'")) }
        return .success(style)
    }

    static let attributeNames: [String: TextAttributes] = [
        "bold": .bold, "dim": .dim, "reverse": .reverse, "underline": .underline,
    ]
}

struct RoleStyleError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
