import ConsoleUI
import Foundation
import Testing

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    /// A scratch theme file, removed when the test ends.
    static func withFile(_ text: String, _ body: (String) throws -> Void) rethrows {
        let path = NSTemporaryDirectory() + "mqtop-theme-\(UUID().uuidString).toml"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    static func error(_ text: String) -> ThemeError? {
        var caught: ThemeError?
        withFile(text) { path in
            do { _ = try Theme.load(nameOrPath: path) } catch let error as ThemeError { caught = error } catch {}
        }
        return caught
    }

    @Test(arguments: Theme.builtinNames)
    func everyShippedThemeLoadsAndMatchesItsFile(name: String) throws {
        let theme = try Theme.load(nameOrPath: name)
        #expect(theme.name == name)
        let file = Self.themesDirectory.appendingPathComponent(name + ".toml").path
        let fromDisk = try Theme.load(nameOrPath: file)
        #expect(fromDisk.palette == theme.palette)
        for role in Role.allCases { #expect(fromDisk.style(for: role) == theme.style(for: role)) }
    }

    @Test func embeddedTextsEqualTheFilesInThemes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files == Theme.builtinNames.map { $0 + ".toml" }.sorted())
        for name in Theme.builtinNames {
            let disk = try String(contentsOf: Self.themesDirectory.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(Theme.builtinText(name) == disk, "themes/\(name).toml differs from the embedded copy")
        }
    }

    @Test func defaultThemeRoles() {
        let theme = Theme.default
        #expect(theme.style(for: .titleFocused) == ResolvedStyle(foreground: .black, background: .cyan, attributes: .bold))
        #expect(theme.style(for: .error) == ResolvedStyle(foreground: .red, background: .terminalDefault, attributes: .bold))
        #expect(theme.style(for: .muted).attributes == .dim)
        // Explicit colours and attributes in a cell style win over / add to the role.
        let custom = theme.resolve(Style(.ok, foreground: .magenta, attributes: .underline))
        #expect(custom == ResolvedStyle(foreground: .magenta, background: .terminalDefault, attributes: .underline))
    }

    @Test func userFileOverridesOnlyWhatItNames() throws {
        try Self.withFile("# mine\n[roles]\nborder = \"bold red on color236\"\n") { path in
            let theme = try Theme.load(nameOrPath: path)
            #expect(theme.style(for: .border) == ResolvedStyle(foreground: .red, background: .indexed(236), attributes: .bold))
            for role in Role.allCases where role != .border {
                #expect(theme.style(for: role) == Theme.default.style(for: role), "\(role) changed")
            }
        }
    }

    @Test func paletteOverrideRecoloursEveryRoleUsingIt() throws {
        try Self.withFile("[palette]\naccent = \"#ff8800\"\n") { path in
            let theme = try Theme.load(nameOrPath: path)
            #expect(theme.style(for: .title).foreground == .rgb(255, 136, 0))
            #expect(theme.style(for: .selection).background == .rgb(255, 136, 0))
            #expect(theme.style(for: .ok) == Theme.default.style(for: .ok))
        }
    }

    @Test func searchPathsShadowBuiltins() throws {
        let directory = NSTemporaryDirectory() + "mqtop-themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/dark.toml", contents: Data("[roles]\nok = \"blue\"\n".utf8))
        let theme = try Theme.load(nameOrPath: "dark", searchPaths: ["/nonexistent", directory])
        #expect(theme.style(for: .ok).foreground == .blue)
        #expect(theme.style(for: .error) == Theme.default.style(for: .error))
    }

    @Test(arguments: [
        ("[roles]\nboder = \"red\"\n", 2, "unknown role 'boder'"),
        ("\n[roles]\nborder = \"reddish\"\n", 3, "unknown colour 'reddish'"),
        ("[roles]\nborder = red\n", 2, "expected a quoted string"),
        ("[roles\n", 1, "missing ']'"),
        ("[colors]\n", 1, "unknown table [colors]"),
        ("[roles]\nborder = \"red\"\nborder = \"blue\"\n", 3, "defined twice"),
        ("[roles]\nborder = \"red\" trailing\n", 2, "unexpected text after the value"),
        ("[roles]\nborder = \"red on\"\n", 2, "missing colour after 'on'"),
        ("[roles]\nborder = \"red blue\"\n", 2, "two foreground colours"),
        ("[palette]\nx = \"color256\"\n", 2, "bad colour 'color256'"),
        ("[roles]\nborder = \"unterminated\n", 2, "unterminated string"),
        ("shade = \"dark\"\n", 1, "unknown top-level key 'shade'"),
    ])
    func badFilesNameFileAndLine(text: String, line: Int, message: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.line == line)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix(error.file + ":\(line): "))
        #expect(error.file.hasSuffix(".toml"))
    }

    @Test func missingThemeAndUnreadableFile() {
        #expect(throws: ThemeError.self) { try Theme.load(nameOrPath: "no-such-theme") }
        do {
            _ = try Theme.load(nameOrPath: "/nonexistent/x.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/x.toml: cannot read the file")
        }
    }

    @Test func noColorYieldsTheMonochromeMapping() {
        let mono = Theme.default.adapted(environment: ["NO_COLOR": "1"], colorCount: 256)
        #expect(mono.isMonochrome)
        for role in Role.allCases {
            let style = mono.style(for: role)
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault)
        }
        #expect(mono.style(for: .selection).attributes.contains(.reverse))
        #expect(mono.style(for: .titleFocused).attributes == [.bold, .reverse])
        #expect(mono.style(for: .error).attributes.contains(.bold))
        #expect(mono.style(for: .muted).attributes == .dim)
        // Explicit colours are dropped too; attributes survive.
        #expect(mono.resolve(Style(.text, foreground: .red, attributes: .underline))
                == ResolvedStyle(foreground: .terminalDefault, background: .terminalDefault, attributes: .underline))
        // An empty NO_COLOR does not count (no-color.org); a colourless terminal does.
        #expect(!Theme.default.adapted(environment: ["NO_COLOR": ""], colorCount: 8).isMonochrome)
        #expect(Theme.default.adapted(environment: [:], colorCount: 2).isMonochrome)
    }

    @Test func eightColourTerminalsGetNearestANSIColours() throws {
        let dark = try Theme.load(nameOrPath: "dark").adapted(environment: [:], colorCount: 8)
        for role in Role.allCases {
            for color in [dark.style(for: role).foreground, dark.style(for: role).background] {
                if case .indexed(let i) = color { #expect(i < 8, "\(role): \(color)") }
                if case .rgb = color { Issue.record("\(role) kept RGB") }
            }
        }
        #expect(TermColor.rgb(250, 10, 10).approximated(colorCount: 8) == .red)
        #expect(TermColor.rgb(0, 0, 0).approximated(colorCount: 256) == .indexed(16))
        #expect(TermColor.indexed(196).approximated(colorCount: 16) == .indexed(9))
    }

    @Test func colourNames() {
        #expect(TermColor(parsing: "default") == .terminalDefault)
        #expect(TermColor(parsing: "Cyan") == .cyan)
        #expect(TermColor(parsing: "bright_red") == .indexed(9))
        #expect(TermColor(parsing: "color123") == .indexed(123))
        #expect(TermColor(parsing: "#FF8800") == .rgb(255, 136, 0))
        for bad in ["color256", "color+1", "#12345", "#gg0000", "orange", ""] { #expect(TermColor(parsing: bad) == nil) }
        #expect(TermColor.rgb(255, 136, 0).description == "#ff8800")
        #expect(TermColor.indexed(9).description == "bright_red")
    }

    @Test func themeCycleOrder() {
        #expect(Theme.nextBuiltinName(after: "default") == "dark")
        #expect(Theme.nextBuiltinName(after: "monochrome") == "default")
        #expect(Theme.nextBuiltinName(after: "/my/theme.toml") == "default")
    }
}
