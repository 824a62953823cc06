import Monitor

/// The traffic view's top row: the broker's counters (uptime, connections, messages in and out per second,
/// bytes, subscriptions, retained, dropped) and the node they are for; unknown ones are left out.
enum BrokerFiguresLine {
    static func spans(_ figures: BrokerFigures?) -> [Span] {
        guard let figures else { return [Span(" " + UIStrings.noBrokerFigures, .muted)] }
        var parts: [(String, String)] = []
        if let node = figures.node { parts.append((UIStrings.figureNode, node)) }
        if let uptime = figures.uptimeSeconds {
            parts.append((UIStrings.figureUptime, Formatting.age(milliseconds: Int64(uptime) * 1000)))
        }
        if let connections = figures.connections { parts.append((UIStrings.figureConnections, String(connections))) }
        if let rate = figures.messagesInPerSecond { parts.append((UIStrings.figureIn, UIStrings.rate(Formatting.compact(rate)))) }
        if let rate = figures.messagesOutPerSecond { parts.append((UIStrings.figureOut, UIStrings.rate(Formatting.compact(rate)))) }
        if let bytes = figures.bytesIn { parts.append((UIStrings.figureBytesIn, Formatting.bytes(bytes))) }
        if let bytes = figures.bytesOut { parts.append((UIStrings.figureBytesOut, Formatting.bytes(bytes))) }
        if let count = figures.subscriptions { parts.append((UIStrings.figureSubscriptions, String(count))) }
        if let count = figures.retained { parts.append((UIStrings.figureRetained, String(count))) }
        if let count = figures.dropped { parts.append((UIStrings.figureDropped, String(count))) }
        var spans: [Span] = [Span(" ")]
        for (index, part) in parts.enumerated() {
            if index > 0 { spans.append(Span(UIStrings.separator, .muted)) }
            spans += [Span(part.0 + " ", .muted), Span(Escaping.controls(part.1), part.0 == UIStrings.figureDropped && part.1 != "0" ? .warn : .text)]
        }
        return spans
    }

    static func draw(_ figures: BrokerFigures?, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 0 else { return }
        buffer.putLine(spans(figures), row: rect.row, in: rect)
    }
}
