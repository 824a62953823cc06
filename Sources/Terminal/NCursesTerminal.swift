import CNCurses
import ConsoleUI
#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls ncurses: opens the terminal, blits a `ScreenBuffer`, reads keys, and puts the
/// terminal back. Not thread-safe, like ncurses itself: owned and used by the console's UI loop alone.
public final class NCursesTerminal {
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var pairs: [ColorPairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private let colors: Int
    /// True when colours are off (`NO_COLOR`, or a terminal without them): only attributes are drawn.
    public let monochrome: Bool

    /// Opens the terminal. Throws, instead of spinning or exiting, when stdin/stdout are not a terminal or
    /// `TERM` names no known terminal.
    public init(noColor: Bool) throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError("the console needs a terminal (stdin and stdout are not a TTY); use `mqtop serve` for a headless broker")
        }
        Self.setUTF8Locale()
        guard let screen = newterm(nil, cn_stdout(), cn_stdin()) else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "<unset>"
            throw TerminalError("cannot open the terminal (TERM=\(term))")
        }
        self.screen = screen
        window = cn_stdscr()
        raw()                      // Ctrl-C is a key: the console quits cleanly instead of being killed.
        noecho()
        keypad(window, true)
        curs_set(0)
        wtimeout(window, 50)       // a key read waits at most 50 ms, so snapshots are drawn promptly
        set_escdelay(25)
        let hasColor = has_colors()
        if hasColor && !noColor {
            start_color()
            use_default_colors()
        }
        colors = hasColor && !noColor ? Int(cn_colors()) : 0
        monochrome = colors == 0
        CrashRestore.install()
    }

    /// Width and height now.
    public var size: TerminalSize {
        var rows: Int32 = 0
        var columns: Int32 = 0
        cn_getmaxyx(window, &rows, &columns)
        return TerminalSize(width: Int(columns), height: Int(rows))
    }

    /// Draws `buffer` in `theme` and shows it. ncurses diffs against the previous frame, so only the
    /// changed cells go out to the terminal.
    public func draw(_ buffer: ScreenBuffer, theme: Theme) {
        guard let window else { return }
        for run in buffer.runs {
            let style = theme.resolve(run.style)
            wattr_set(window, attributes(style.attributes), colorPair(style), nil)
            _ = run.text.withCString { mvwaddstr(window, Int32(run.row), Int32(run.column), $0) }
        }
        if let cursor = buffer.cursor {
            wmove(window, Int32(cursor.row), Int32(cursor.column))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// How many colours the terminal shows (0 when colours are off), for `Theme.adapted`.
    public var colorCount: Int { colors }

    /// The next key, or nil when none came within the read timeout.
    public func readKey() -> Key? {
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            return KeyDecoder.functionKey(Int32(character), size: { self.size })
        }
        return KeyDecoder.character(UInt32(character))
    }

    /// Puts the terminal back as it was. Safe to call twice.
    public func restore() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
        window = nil
        CrashRestore.uninstall()
    }

    deinit {
        restore()
    }

    // MARK: - Colours

    private struct ColorPairKey: Hashable {
        let foreground: Int16
        let background: Int16
    }

    private func colorPair(_ style: ResolvedStyle) -> Int16 {
        guard !monochrome else { return 0 }
        let key = ColorPairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard Int(nextPair) < Int(cn_color_pairs()), nextPair < Int16.max else { return 0 }
        let pair = nextPair
        nextPair += 1
        init_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return pair
    }

    private func colorNumber(_ color: TermColor) -> Int16 {
        switch color.approximated(colorCount: colors) {
        case .terminalDefault: return -1
        case .indexed(let index): return Int16(index)
        case .rgb: return -1
        }
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = CN_A_NORMAL
        if attributes.contains(.bold) { result |= CN_A_BOLD }
        if attributes.contains(.dim) { result |= CN_A_DIM }
        if attributes.contains(.reverse) { result |= CN_A_REVERSE }
        if attributes.contains(.underline) { result |= CN_A_UNDERLINE }
        return result
    }

    /// ncursesw needs a UTF-8 locale to draw wide characters and box lines; fall back to C.UTF-8.
    private static func setUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased() != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}
