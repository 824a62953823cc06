/// A terminal colour as a theme names it: the terminal's default, one of 256 indexed colours (0–7 are the
/// ANSI names, 8–15 their bright forms), or 24-bit RGB for terminals that can show it.
public enum TermColor: Sendable, Hashable, CustomStringConvertible {
    case terminalDefault
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    /// The eight ANSI names, in index order.
    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    public static let black = TermColor.indexed(0)
    public static let red = TermColor.indexed(1)
    public static let green = TermColor.indexed(2)
    public static let yellow = TermColor.indexed(3)
    public static let blue = TermColor.indexed(4)
    public static let magenta = TermColor.indexed(5)
    public static let cyan = TermColor.indexed(6)
    public static let white = TermColor.indexed(7)

    /// Parses `default`, an ANSI name, `bright_<name>`, `color0`…`color255`, or `#rrggbb`. Case-insensitive.
    public init?(parsing text: String) {
        let name = text.lowercased()
        if name == "default" {
            self = .terminalDefault
        } else if let index = TermColor.ansiNames.firstIndex(of: name) {
            self = .indexed(UInt8(index))
        } else if name.hasPrefix("bright_"), let index = TermColor.ansiNames.firstIndex(of: String(name.dropFirst(7))) {
            self = .indexed(UInt8(index + 8))
        } else if name.hasPrefix("color"), name.count > 5, name.count <= 8,
                  name.dropFirst(5).allSatisfy({ $0.isASCII && $0.isNumber }), let index = UInt8(name.dropFirst(5)) {
            self = .indexed(index)
        } else if name.hasPrefix("#"), name.count == 7, name.dropFirst().allSatisfy(\.isHexDigit),
                  let value = UInt32(name.dropFirst(), radix: 16) {
            self = .rgb(UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .indexed(let i) where i < 8: return TermColor.ansiNames[Int(i)]
        case .indexed(let i) where i < 16: return "bright_" + TermColor.ansiNames[Int(i) - 8]
        case .indexed(let i): return "color\(i)"
        case let .rgb(r, g, b):
            return "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// The closest colour a terminal with `colorCount` colours can show (8, 16, 256; anything above 256 is
    /// taken to mean direct colour). The blitter calls this once per theme entry, not per cell.
    public func approximated(colorCount: Int) -> TermColor {
        switch self {
        case .terminalDefault:
            return self
        case .indexed(let i):
            if Int(i) < colorCount { return self }
            return TermColor.nearest(to: TermColor.rgbValue(ofIndex: i), among: colorCount >= 16 ? 16 : 8)
        case let .rgb(r, g, b):
            if colorCount > 256 { return self }
            if colorCount >= 256 { return .indexed(TermColor.cubeIndex(r, g, b)) }
            return TermColor.nearest(to: (Int(r), Int(g), Int(b)), among: colorCount >= 16 ? 16 : 8)
        }
    }

    // MARK: - Approximation helpers

    /// xterm's default RGB for the 16 system colours.
    private static let systemRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]
    private static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgbValue(ofIndex index: UInt8) -> (Int, Int, Int) {
        let i = Int(index)
        if i < 16 { return systemRGB[i] }
        if i >= 232 {
            let level = 8 + (i - 232) * 10
            return (level, level, level)
        }
        let c = i - 16
        return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
    }

    private static func cubeIndex(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for (index, candidate) in cubeLevels.enumerated() where abs(candidate - Int(v)) < abs(cubeLevels[best] - Int(v)) {
                best = index
            }
            return best
        }
        return UInt8(16 + 36 * level(r) + 6 * level(g) + level(b))
    }

    private static func nearest(to rgb: (Int, Int, Int), among count: Int) -> TermColor {
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let c = systemRGB[index]
            let distance = (c.0 - rgb.0) * (c.0 - rgb.0) + (c.1 - rgb.1) * (c.1 - rgb.1) + (c.2 - rgb.2) * (c.2 - rgb.2)
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return .indexed(UInt8(best))
    }
}
