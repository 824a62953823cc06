/// What the whole screen shows when the terminal is smaller than the layout needs.
public enum TooSmallMessage {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func fits(_ size: TerminalSize) -> Bool {
        size.width >= minimumWidth && size.height >= minimumHeight
    }

    /// Clears the buffer and centres the message (wrapped if even that does not fit).
    public static func draw(into buffer: inout ScreenBuffer) {
        buffer.fill(buffer.bounds, style: Style(.text))
        let message = UIStrings.tooSmall(width: buffer.width, height: buffer.height,
                                         minimumWidth: minimumWidth, minimumHeight: minimumHeight)
        var lines: [String] = []
        for line in message { lines += TextFit.hardWrap(line, to: buffer.width) }
        let top = max(0, (buffer.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < buffer.height {
            let column = max(0, (buffer.width - CharWidth.of(line)) / 2)
            buffer.put(line, row: top + index, column: column, style: Style(index == 0 ? .warn : .muted))
        }
    }
}
