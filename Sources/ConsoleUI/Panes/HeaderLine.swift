import Monitor

/// The top line: mode, PAUSED / read-only markers, Redis endpoint and state (in `error` when reconnecting
/// or down), broker listeners, backend buffer, and on the right the msgs/s sparkline with the latest rate.
///
/// On narrow terminals segments first take their short forms (listeners as ports, Redis without its
/// endpoint, a shorter sparkline), then whole segments give way (backend buffer first, then listeners, then the
/// sparkline) before anything is truncated, so the Redis state — the thing an operator must not miss —
/// stays visible, and an 80-column terminal still shows where the broker listens.
enum HeaderLine {
    /// How many samples the sparkline shows at most; its short form shows half.
    static let sparklineWidth = 12

    struct Segment {
        var spans: [Span]
        /// Higher numbers are shortened and dropped first.
        var priority: Int
        /// What it shows where the whole does not fit.
        var compact: [Span]?

        /// Shows the other form: the short one instead of the whole, or back.
        mutating func toggleForm() {
            guard let other = compact else { return }
            compact = spans
            spans = other
        }
    }

    static func draw(_ header: HeaderInfo, paused: Bool, readOnly: Bool, into buffer: inout ScreenBuffer, rect: Rect) {
        buffer.fill(rect, style: Style(.header))
        let (left, right) = fit(leftSegments(header, paused: paused, readOnly: readOnly), rates: header.messageRates,
                                width: rect.width)
        let leftWidth = rect.width - (right.isEmpty ? 0 : right.width + 1)
        let leftArea = Rect(row: rect.row, column: rect.column, width: leftWidth, height: 1)
        buffer.putLine(left, row: rect.row, in: leftArea, fill: Style(.header))
        if !right.isEmpty {
            buffer.put(right, row: rect.row, column: rect.right - right.width, clip: rect.columns)
        }
    }

    /// What of the line fits `width`. In order, while it does not: segments worth less than any short form
    /// go, the short forms come in (most expendable first), the sparkline halves, then segments and the
    /// sparkline go as before short forms existed. Last, short forms that are no longer needed go back.
    static func fit(_ all: [Segment], rates: [Double], width: Int) -> (left: [Span], right: [Span]) {
        var segments = all
        var right = rateSpans(rates, width: sparklineWidth)
        var shortSparkline = false
        func total() -> Int { segments.reduce(0) { $0 + $1.spans.width } + (right.isEmpty ? 0 : right.width + 1) }
        func mostExpendable(_ candidates: (Segment) -> Bool) -> Int? {
            segments.indices.filter { candidates(segments[$0]) }.max { segments[$0].priority < segments[$1].priority }
        }
        let shortenable = segments.filter { $0.compact != nil }.map(\.priority).max() ?? Int.max
        while total() > width, let worst = mostExpendable({ $0.priority > shortenable }) {
            segments.remove(at: worst)
        }
        var shortened: [Int] = []
        for index in segments.indices.sorted(by: { segments[$0].priority > segments[$1].priority })
        where total() > width && segments[index].compact != nil {
            segments[index].toggleForm()
            shortened.append(index)
        }
        if total() > width, !right.isEmpty {
            right = rateSpans(rates, width: sparklineWidth / 2)
            shortSparkline = true
        }
        var dropped = Set<Int>()
        for _ in 0..<(segments.count + 1) where total() > width {
            let worst = mostExpendable { $0.priority > 0 && !$0.spans.isEmpty }
            if let worst, right.isEmpty || segments[worst].priority > 2 {
                segments[worst].spans = []
                dropped.insert(worst)
            } else if !right.isEmpty {
                right = []
            } else {
                break
            }
        }
        // Dropping may have made room for what was shortened before it.
        for index in shortened.reversed() where !dropped.contains(index) {
            segments[index].toggleForm()
            if total() > width { segments[index].toggleForm() }
        }
        if shortSparkline, !right.isEmpty {
            let short = right
            right = rateSpans(rates, width: sparklineWidth)
            if total() > width { right = short }
        }
        return (segments.flatMap(\.spans), right)
    }

    /// The sparkline of the last `width` rates and the latest rate; nothing before the first rate.
    static func rateSpans(_ rates: [Double], width: Int) -> [Span] {
        guard let latest = rates.last else { return [] }
        return [Span(Sparkline.render(rates, width: width), .sparkline),
                Span(" " + UIStrings.rate(Formatting.compact(latest)) + " ", .header)]
    }

    /// `cluster fleet: n1 ● 12  n2 ● 7  n3 ○ gone`, short `cluster fleet 2/3 nodes`; a gone node in `warn`.
    static func clusterSegment(_ cluster: ClusterHeader) -> Segment {
        var spans = [Span(UIStrings.separator, .header), Span(Escaping.controls(UIStrings.cluster(cluster.name)), .header)]
        for node in cluster.nodes {
            spans.append(Span(" " + Escaping.controls(UIStrings.clusterNode(node)), node.alive ? .header : .warn))
        }
        let alive = cluster.nodes.filter(\.alive).count
        let short = Span(Escaping.controls(UIStrings.clusterShort(cluster.name, alive: alive, of: cluster.nodes.count)),
                         alive < cluster.nodes.count ? .warn : .header)
        return Segment(spans: spans, priority: 2, compact: [Span(UIStrings.separator, .header), short])
    }

    static func leftSegments(_ header: HeaderInfo, paused: Bool, readOnly: Bool) -> [Segment] {
        var segments = [Segment(spans: [Span(" " + UIStrings.appName + " ", Style(.header, attributes: .bold)),
                                        Span(" " + UIStrings.mode(header.mode), .header)], priority: 0)]
        if paused {
            segments.append(Segment(spans: [Span(" "), Span(" " + UIStrings.paused + " ", Style(.warn, attributes: .reverse))],
                                    priority: 0))
        }
        if readOnly || header.readOnly {
            segments.append(Segment(spans: [Span(UIStrings.separator, .header), Span(UIStrings.readOnly, .warn)], priority: 0))
        }
        if !header.listeners.isEmpty {
            segments.append(Segment(spans: [Span(UIStrings.separator, .header),
                                            Span(Escaping.controls(UIStrings.broker(header.listeners)), .header)], priority: 4,
                                    compact: [Span(UIStrings.separator, .header),
                                              Span(Escaping.controls(UIStrings.brokerPorts(header.listeners)), .header)]))
        }
        if !header.redisEndpoint.isEmpty {
            let endpoint = Escaping.controls(header.redisEndpoint)
            var spans: [Span] = []
            switch header.redisState {
            case .connected(let role):
                spans.append(Span(Escaping.controls(UIStrings.redisConnected(role: role, memory: header.redisMemory)), .header))
            case .reconnecting(let error):
                spans.append(Span(Escaping.controls(UIStrings.redisReconnecting(error)), .error))
            case .down(let error):
                spans.append(Span(Escaping.controls(UIStrings.redisDown(error)), .error))
            }
            segments.append(Segment(spans: [Span(UIStrings.separator, .header), Span(UIStrings.redis(endpoint) + " ", .header)] + spans,
                                    priority: 0,
                                    compact: [Span(UIStrings.separator, .header), Span(UIStrings.redis(""), .header)] + spans))
        }
        if let cluster = header.cluster {
            segments.append(clusterSegment(cluster))
        }
        if let report = header.layout {
            var spans = [Span(UIStrings.separator, .header), Span(UIStrings.layout(report), .header)]
            if let foreign = report.foreign {
                spans += [Span(" "), Span(Escaping.controls(UIStrings.mixedLayout(foreign)), .warn)]
            }
            segments.append(Segment(spans: spans, priority: report.foreign == nil ? 3 : 1))
        }
        if let buffered = header.backendBuffer {
            let dropped = header.backendDropped ?? 0
            segments.append(Segment(spans: [Span(UIStrings.separator, .header),
                                            Span(UIStrings.backendBuffer(buffered, dropped: header.backendDropped),
                                                 dropped > 0 ? .warn : .header)],
                                    priority: dropped > 0 ? 1 : 5))
        }
        return segments
    }
}
