import Monitor

/// The top line: mode, PAUSED / read-only markers, Redis endpoint and state (in `error` when reconnecting
/// or down), broker listeners, backend buffer, and on the right the msgs/s sparkline with the latest rate.
///
/// On narrow terminals whole segments give way (backend buffer first, then listeners, then the sparkline)
/// before anything is truncated, so the Redis state — the thing an operator must not miss — stays visible.
enum HeaderLine {
    /// How many samples the sparkline shows at most.
    static let sparklineWidth = 12

    struct Segment {
        var spans: [Span]
        /// Higher numbers are dropped first.
        var priority: Int
    }

    static func draw(_ header: HeaderInfo, paused: Bool, readOnly: Bool, into buffer: inout ScreenBuffer, rect: Rect) {
        buffer.fill(rect, style: Style(.header))
        var segments = leftSegments(header, paused: paused, readOnly: readOnly)
        var right: [Span] = []
        if !header.messageRates.isEmpty {
            let spark = Sparkline.render(header.messageRates, width: sparklineWidth)
            let latest = header.messageRates.last ?? 0
            right = [Span(spark, .sparkline), Span(" " + UIStrings.rate(Formatting.compact(latest)) + " ", .header)]
        }
        func total() -> Int { segments.reduce(0) { $0 + $1.spans.width } + (right.isEmpty ? 0 : right.width + 1) }
        for _ in 0..<(segments.count + 1) where total() > rect.width {
            let droppable = segments.indices.filter { segments[$0].priority > 0 }
            let worst = droppable.max { segments[$0].priority < segments[$1].priority }
            if let worst, right.isEmpty || segments[worst].priority > 2 {
                segments.remove(at: worst)
            } else if !right.isEmpty {
                right = []
            } else {
                break
            }
        }
        let leftWidth = rect.width - (right.isEmpty ? 0 : right.width + 1)
        let leftArea = Rect(row: rect.row, column: rect.column, width: leftWidth, height: 1)
        buffer.putLine(segments.flatMap(\.spans), row: rect.row, in: leftArea, fill: Style(.header))
        if !right.isEmpty {
            buffer.put(right, row: rect.row, column: rect.right - right.width, clip: rect.columns)
        }
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
                                            Span(Escaping.controls(UIStrings.broker(header.listeners)), .header)], priority: 4))
        }
        if !header.redisEndpoint.isEmpty {
            var spans = [Span(UIStrings.separator, .header), Span(Escaping.controls(UIStrings.redis(header.redisEndpoint)) + " ", .header)]
            switch header.redisState {
            case .connected(let role):
                spans.append(Span(Escaping.controls(UIStrings.redisConnected(role: role, memory: header.redisMemory)), .header))
            case .reconnecting(let error):
                spans.append(Span(Escaping.controls(UIStrings.redisReconnecting(error)), .error))
            case .down(let error):
                spans.append(Span(Escaping.controls(UIStrings.redisDown(error)), .error))
            }
            segments.append(Segment(spans: spans, priority: 0))
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
