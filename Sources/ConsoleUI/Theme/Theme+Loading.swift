import Foundation

extension Theme {
    /// The themes that ship with mqtop, in the order `t` cycles through them.
    public static let builtinNames = ["default", "dark", "light", "high-contrast", "monochrome"]

    /// The theme after `name` in `builtinNames` (the first one for a custom or unknown name).
    public static func nextBuiltinName(after name: String) -> String {
        guard let index = builtinNames.firstIndex(of: name) else { return builtinNames[0] }
        return builtinNames[(index + 1) % builtinNames.count]
    }

    /// The text of a built-in theme file as embedded in the binary.
    public static func builtinText(_ name: String) -> String? { BuiltinThemes.texts[name] }

    /// The built-in default theme; every other theme is applied on top of it.
    public static let `default`: Theme = builtin("default", base: Theme(name: "default"))

    /// Attributes only: what `NO_COLOR` and colourless terminals get.
    public static let monochrome: Theme = {
        var theme = builtin("monochrome", base: Theme(name: "monochrome"))
        theme.isMonochrome = true
        return theme
    }()

    /// Parses embedded built-in text. Its validity is a test (`ThemeTests`), so a failure here is a
    /// programmer error; even then the console keeps working with plain roles rather than trapping.
    private static func builtin(_ name: String, base: Theme) -> Theme {
        guard let text = BuiltinThemes.texts[name],
              let theme = try? Theme.parse(text, file: BuiltinThemes.fileName(name), base: base) else { return base }
        return theme
    }

    /// Loads a theme by name or path on top of the built-in default.
    ///
    /// A value containing `/` or ending in `.toml` is a path. Otherwise `<name>.toml` is looked for in each
    /// of `searchPaths` (e.g. `~/.config/mqtop/themes`, `./themes`), then among the built-in themes, so a
    /// user can shadow a built-in one. Throws a `ThemeError` naming the file and line.
    public static func load(nameOrPath: String, searchPaths: [String] = []) throws(ThemeError) -> Theme {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
        if isPath { return try load(file: nameOrPath) }
        for directory in searchPaths {
            let candidate = (directory as NSString).appendingPathComponent(nameOrPath + ".toml")
            if FileManager.default.fileExists(atPath: candidate) { return try load(file: candidate) }
        }
        if let text = BuiltinThemes.texts[nameOrPath] {
            var theme = try parse(text, file: BuiltinThemes.fileName(nameOrPath), base: .default)
            theme.name = nameOrPath
            if nameOrPath == "monochrome" { theme.isMonochrome = true }
            return theme
        }
        let searched = searchPaths.isEmpty ? "" : "; searched " + searchPaths.joined(separator: ", ")
        throw ThemeError(file: nameOrPath, line: nil,
                         message: "no such theme (built-in: \(builtinNames.joined(separator: ", "))\(searched))")
    }

    private static func load(file path: String) throws(ThemeError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, line: nil, message: "not UTF-8 text")
        }
        var theme = try parse(text, file: path, base: .default)
        theme.name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return theme
    }

    /// Applies theme-file text on top of `base`: palette entries are added or replaced, roles named in
    /// `[roles]` replace the base's entry for that role, everything else is kept.
    public static func parse(_ text: String, file: String, base: Theme) throws(ThemeError) -> Theme {
        let entries = try ThemeParser.parse(text, file: file, tables: ["palette", "roles"])
        var theme = base
        for entry in entries {
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: entry.line, message: message) }
            switch entry.table {
            case nil:
                guard entry.key == "name" || entry.key == "description" else {
                    throw fail("unknown top-level key '\(entry.key)' (expected name, description, [palette] or [roles])")
                }
                if entry.key == "name" { theme.name = entry.value }
            case "palette":
                guard let color = TermColor(parsing: entry.value.trimmingWhitespace()) else {
                    throw fail("bad colour '\(entry.value)' for palette entry '\(entry.key)'")
                }
                guard TermColor(parsing: entry.key) == nil, RoleStyle.attributeNames[entry.key.lowercased()] == nil,
                      entry.key.lowercased() != "on" else {
                    throw fail("palette name '\(entry.key)' is reserved (a colour or attribute name)")
                }
                theme.palette[entry.key.lowercased()] = color
            case "roles":
                guard let role = Role(rawValue: entry.key) else {
                    throw fail("unknown role '\(entry.key)' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                let paletteNames = Set(theme.palette.keys).union(entries.filter { $0.table == "palette" }.map { $0.key.lowercased() })
                switch RoleStyle.parse(entry.value, isPaletteName: paletteNames.contains) {
                case .success(var style):
                    // `background = "black"` names the screen's background colour.
                    if role == .background, style.background == nil {
                        style.background = style.foreground
                        style.foreground = nil
                    }
                    theme.roles[role] = style
                case .failure(let error):
                    throw fail("role '\(entry.key)': \(error.message)")
                }
            case let other?:
                throw fail("unknown table [\(other)] (expected [palette] or [roles])")
            }
        }
        return theme
    }
}
