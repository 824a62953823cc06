/// Semantic colours: a palette of named colours and, for each `Role`, colours and attributes.
///
/// Widgets only ever name roles; the terminal layer asks `resolve(_:)` for each run's style. A theme is
/// built by patching: the built-in default first, then a chosen file that overrides only what it names
/// (k9s skins and gitui themes work the same way). A monochrome theme drops every colour and keeps
/// attributes only, which is how `NO_COLOR` and colourless terminals stay readable.
public struct Theme: Sendable, Hashable {
    public var name: String
    public internal(set) var palette: [String: TermColor]
    var roles: [Role: RoleStyle]
    /// True when colours are ignored and only bold/dim/reverse/underline are used.
    public internal(set) var isMonochrome: Bool

    init(name: String, palette: [String: TermColor] = [:], roles: [Role: RoleStyle] = [:], isMonochrome: Bool = false) {
        self.name = name
        self.palette = palette
        self.roles = roles
        self.isMonochrome = isMonochrome
    }

    /// The resolved look of a role on its own.
    public func style(for role: Role) -> ResolvedStyle { resolve(Style(role)) }

    /// The resolved look of a cell style: explicit colours win over the role's, the role's win over the
    /// screen defaults (`text` foreground, `background` background); attributes add up.
    public func resolve(_ style: Style) -> ResolvedStyle {
        let entry = roles[style.role] ?? RoleStyle()
        let attributes = entry.attributes.union(style.attributes)
        if isMonochrome {
            return ResolvedStyle(foreground: .terminalDefault, background: .terminalDefault, attributes: attributes)
        }
        let foreground = style.foreground ?? color(entry.foreground) ?? color(roles[.text]?.foreground) ?? .terminalDefault
        let background = style.background ?? color(entry.background) ?? color(roles[.background]?.background)
            ?? .terminalDefault
        return ResolvedStyle(foreground: foreground, background: background, attributes: attributes)
    }

    private func color(_ ref: ColorRef?) -> TermColor? {
        switch ref {
        case .none: return nil
        case .literal(let color): return color
        case .palette(let name): return palette[name]
        }
    }

    /// This theme as a terminal can show it: monochrome when `NO_COLOR` is set and non-empty
    /// (no-color.org) or the terminal has fewer than 8 colours; otherwise colours approximated to
    /// `colorCount` (256-colour and `#rrggbb` entries become their nearest ANSI colour on 8/16-colour
    /// terminals).
    public func adapted(environment: [String: String], colorCount: Int) -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return Theme.monochromeFallback(from: self) }
        if colorCount < 8 { return Theme.monochromeFallback(from: self) }
        var copy = self
        copy.palette = palette.mapValues { $0.approximated(colorCount: colorCount) }
        copy.roles = roles.mapValues { entry in
            var e = entry
            if case .literal(let c) = entry.foreground { e.foreground = .literal(c.approximated(colorCount: colorCount)) }
            if case .literal(let c) = entry.background { e.background = .literal(c.approximated(colorCount: colorCount)) }
            return e
        }
        return copy
    }

    /// The built-in monochrome mapping, named after the theme it replaces.
    static func monochromeFallback(from theme: Theme) -> Theme {
        var mono = Theme.monochrome
        mono.name = theme.isMonochrome ? theme.name : theme.name + " (monochrome)"
        return mono
    }
}
