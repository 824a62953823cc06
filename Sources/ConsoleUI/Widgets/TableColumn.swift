/// One column of a `Table`: a heading, how wide it may be, and how its cells align.
public struct TableColumn: Sendable, Hashable {
    public enum Width: Sendable, Hashable {
        /// Always exactly this many columns.
        case fixed(Int)
        /// At least `min`; takes a `weight` share of spare room; optional columns are only added while every
        /// flexible column can still get `preferred`.
        case flex(min: Int, preferred: Int, weight: Int)
    }

    public var title: String
    public var width: Width
    public var alignment: TextFit.Alignment
    /// Shown only when the pane is wide enough (embedded-mode extras such as ADDRESS or INFLIGHT).
    public var optional: Bool

    public init(_ title: String, _ width: Width, alignment: TextFit.Alignment = .left, optional: Bool = false) {
        self.title = title
        self.width = width
        self.alignment = alignment
        self.optional = optional
    }

    var minimum: Int {
        switch width {
        case .fixed(let w): return w
        case .flex(let min, _, _): return min
        }
    }

    var preferred: Int {
        switch width {
        case .fixed(let w): return w
        case .flex(_, let preferred, _): return preferred
        }
    }

    var weight: Int {
        switch width {
        case .fixed: return 0
        case .flex(_, _, let weight): return max(weight, 1)
        }
    }

    /// Widths for `columns` in `available` cells (one separator space between columns), as (index, width)
    /// in column order. Required columns come first at their minimum; optional ones are added, in order,
    /// while the flexible columns keep their preferred width (stopping at the first that does not fit); spare room goes to flexible columns by weight.
    /// Columns that do not fit even at their minimum are left out, so a row never overflows.
    public static func layout(_ columns: [TableColumn], available: Int) -> [(index: Int, width: Int)] {
        var chosen = Set<Int>()
        var used = 0
        for (index, column) in columns.enumerated() where !column.optional {
            let need = column.minimum + (chosen.isEmpty ? 0 : 1)
            if used + need <= available {
                chosen.insert(index)
                used += need
            }
        }
        var preferredUsed = chosen.reduce(0) { $0 + columns[$1].preferred } + max(chosen.count - 1, 0)
        for (index, column) in columns.enumerated() where column.optional {
            let need = column.preferred + (chosen.isEmpty ? 0 : 1)
            // Stop at the first that does not fit: skipping one (ADDRESS) but showing the next (PROTO) would
            // make the columns jump around as the terminal is resized.
            guard preferredUsed + need <= available else { break }
            chosen.insert(index)
            preferredUsed += need
            used += column.minimum + (chosen.count == 1 ? 0 : 1)
        }
        let ordered = chosen.sorted()
        var widths = ordered.map { columns[$0].minimum }
        let spare = available - used
        let flexible = ordered.indices.filter { columns[ordered[$0]].weight > 0 }
        let totalWeight = flexible.reduce(0) { $0 + columns[ordered[$1]].weight }
        if spare > 0, totalWeight > 0 {
            var given = 0
            for position in flexible {
                let share = spare * columns[ordered[position]].weight / totalWeight
                widths[position] += share
                given += share
            }
            if let first = flexible.first { widths[first] += spare - given }
        }
        return zip(ordered, widths).map { (index: $0, width: $1) }
    }
}
