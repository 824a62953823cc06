import Monitor

/// The traffic view's top row: the broker's counters (uptime, connections, messages in and out per second,
/// bytes, subscriptions, retained, dropped) and the node they are for; unknown ones are left out.
///
/// Where the row is too narrow for all, whole figures give way, least telling first (bytes, uptime, the
/// totals), so a figure is never cut in half: the node, the rates and messages dropped stay longest.
enum BrokerFiguresLine {
    struct Figure {
        let label: String
        let value: String
        /// Higher numbers give way first.
        let expendability: Int
        var warns: Bool = false
    }

    static func figures(_ figures: BrokerFigures) -> [Figure] {
        var parts: [Figure] = []
        if let node = figures.node { parts.append(Figure(label: UIStrings.figureNode, value: node, expendability: 0)) }
        if let uptime = figures.uptimeSeconds {
            parts.append(Figure(label: UIStrings.figureUptime, value: Formatting.age(milliseconds: Int64(uptime) * 1000),
                                expendability: 7))
        }
        if let connections = figures.connections {
            parts.append(Figure(label: UIStrings.figureConnections, value: String(connections), expendability: 3))
        }
        if let rate = figures.messagesInPerSecond {
            parts.append(Figure(label: UIStrings.figureIn, value: UIStrings.rate(Formatting.compact(rate)), expendability: 2))
        }
        if let rate = figures.messagesOutPerSecond {
            parts.append(Figure(label: UIStrings.figureOut, value: UIStrings.rate(Formatting.compact(rate)), expendability: 2))
        }
        if let bytes = figures.bytesIn {
            parts.append(Figure(label: UIStrings.figureBytesIn, value: Formatting.bytes(bytes), expendability: 9))
        }
        if let bytes = figures.bytesOut {
            parts.append(Figure(label: UIStrings.figureBytesOut, value: Formatting.bytes(bytes), expendability: 9))
        }
        if let count = figures.subscriptions {
            parts.append(Figure(label: UIStrings.figureSubscriptions, value: String(count), expendability: 5))
        }
        if let count = figures.retained {
            parts.append(Figure(label: UIStrings.figureRetained, value: String(count), expendability: 6))
        }
        if let count = figures.dropped {
            parts.append(Figure(label: UIStrings.figureDropped, value: String(count), expendability: count > 0 ? 1 : 8,
                                warns: count > 0))
        }
        return parts
    }

    /// The row for `width` columns (unbounded when nil).
    static func spans(_ figures: BrokerFigures?, width: Int? = nil) -> [Span] {
        guard let figures else { return [Span(" " + UIStrings.noBrokerFigures, .muted)] }
        var parts = Self.figures(figures)
        while let width, spans(parts).width > width, parts.count > 1,
              let worst = parts.indices.max(by: { parts[$0].expendability < parts[$1].expendability }) {
            parts.remove(at: worst)
        }
        return spans(parts)
    }

    private static func spans(_ parts: [Figure]) -> [Span] {
        var spans: [Span] = [Span(" ")]
        for (index, part) in parts.enumerated() {
            if index > 0 { spans.append(Span(UIStrings.separator, .muted)) }
            spans += [Span(part.label + " ", .muted), Span(Escaping.controls(part.value), part.warns ? .warn : .text)]
        }
        return spans
    }

    static func draw(_ figures: BrokerFigures?, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 0 else { return }
        buffer.putLine(spans(figures, width: rect.width), row: rect.row, in: rect)
    }
}
