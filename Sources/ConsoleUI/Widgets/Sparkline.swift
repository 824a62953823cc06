/// A one-row chart of recent values using the eight block heights `▁▂▃▄▅▆▇█`.
public enum Sparkline {
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values scaled so the largest is `█`; all-zero (or empty) history draws `▁`s, so the
    /// chart keeps its place in the header before the first figures arrive.
    public static func render(_ values: [Double], width: Int) -> String {
        guard width > 0 else { return "" }
        let recent = values.suffix(width).map { $0.isFinite ? max(0, $0) : 0 }
        let peak = recent.max() ?? 0
        guard peak > 0 else { return String(repeating: "▁", count: recent.count) }
        return String(recent.map { value -> Character in
            let level = Int((value / peak * 7).rounded())
            return blocks[min(max(level, 0), 7)]
        })
    }
}
