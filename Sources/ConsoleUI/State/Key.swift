/// One input event as the terminal layer reports it. Printable input (any Unicode) arrives as `.char`;
/// `resize` is delivered as a key because ncurses reports `KEY_RESIZE` through the same call.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab
    case enter, escape, backspace, delete
    case resize(width: Int, height: Int)
    case ctrlC
}
