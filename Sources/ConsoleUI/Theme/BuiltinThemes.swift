// Generated from themes/*.toml: keep identical (ThemeTests compares them). The binary may run from any
// directory, so the built-in themes cannot be read from disk at run time.

/// The built-in theme files, embedded.
enum BuiltinThemes {
    static func fileName(_ name: String) -> String { "themes/" + name + ".toml (built-in)" }

    static let texts: [String: String] = [
        "default": #"""
# mqtop theme "default": the 8 ANSI colours on the terminal's own background, so it reads on dark and
# light terminals alike.
#
# A theme names colours once in [palette] and maps them onto roles in [roles]. A user theme is applied on
# top of this one and overrides only what it names.
#
# Colours: default, black, red, green, yellow, blue, magenta, cyan, white, bright_<name>,
#          color0 .. color255, #rrggbb, or a [palette] name.
# Role values: space-separated words: attributes (bold, dim, reverse, underline), a foreground colour,
#              and "on <colour>" for the background. "" means plain text.
# Roles: background (the screen's background colour), text, border, title, title_focused, header,
#        column_header, selection, ok, warn, error, muted, key_hint, sparkline.

name = "default"

[palette]
accent = "cyan"
good = "green"
caution = "yellow"
bad = "red"

[roles]
background = "default"
text = "default"
border = "accent"
title = "bold accent"
title_focused = "bold black on accent"
header = "bold"
column_header = "bold"
selection = "black on accent"
ok = "good"
warn = "caution"
error = "bold bad"
muted = "dim"
key_hint = "bold accent"
sparkline = "good"

"""#,
        "dark": #"""
# mqtop theme "dark": a 256-colour dark background (approximated on 8-colour terminals).

name = "dark"

[palette]
base = "color235"
surface = "color237"
fg = "color252"
subtle = "color244"
accent = "color75"
good = "color114"
caution = "color221"
bad = "color203"

[roles]
background = "base"
text = "fg"
border = "color240"
title = "bold accent"
title_focused = "bold base on accent"
header = "bold fg on surface"
column_header = "bold subtle"
selection = "fg on color25"
ok = "good"
warn = "caution"
error = "bold bad"
muted = "subtle"
key_hint = "bold accent"
sparkline = "good on surface"

"""#,
        "light": #"""
# mqtop theme "light": dark text on a light 256-colour background.

name = "light"

[palette]
base = "color255"
surface = "color253"
fg = "color236"
subtle = "color244"
accent = "color25"
good = "color28"
caution = "color130"
bad = "color160"

[roles]
background = "base"
text = "fg"
border = "color248"
title = "bold accent"
title_focused = "bold base on accent"
header = "bold fg on surface"
column_header = "bold color240"
selection = "base on color31"
ok = "good"
warn = "caution"
error = "bold bad"
muted = "subtle"
key_hint = "bold accent"
sparkline = "accent on surface"

"""#,
        "high-contrast": #"""
# mqtop theme "high-contrast": bright colours on black, bold where it helps, for low vision and
# washed-out displays.

name = "high-contrast"

[palette]
fg = "bright_white"
focus = "bright_yellow"

[roles]
background = "black"
text = "fg"
border = "fg"
title = "bold fg"
title_focused = "bold black on focus"
header = "bold black on fg"
column_header = "bold underline fg"
selection = "bold black on focus"
ok = "bold bright_green"
warn = "bold bright_yellow"
error = "bold bright_red"
muted = "white"
key_hint = "bold focus"
sparkline = "bright_cyan on fg"

"""#,
        "monochrome": #"""
# mqtop theme "monochrome": no colours at all, only bold, dim, reverse and underline. This is also what
# NO_COLOR and terminals without colours get, whatever theme was chosen.

name = "monochrome"

[roles]
background = "default"
text = ""
border = ""
title = "bold"
title_focused = "bold reverse"
header = "bold"
column_header = "bold underline"
selection = "reverse"
ok = "bold"
warn = "bold underline"
error = "bold reverse"
muted = "dim"
key_hint = "bold"
sparkline = ""

"""#,
    ]
}
