import Foundation
import Monitor

/// The Events strip: newest first, `HH:mm:ss  kind  text`, kinds coloured by what they mean.
enum EventsStrip {
    static let kindWidth = 11

    static func draw(_ events: [EventRow], timeZone: TimeZone, into buffer: inout ScreenBuffer, rect: Rect) {
        let inner = BorderedPane(title: UIStrings.eventsTitle).draw(into: &buffer, rect: rect)
        guard inner.height > 0 else { return }
        if events.isEmpty {
            buffer.putLine([Span(" " + UIStrings.emptyEvents, .muted)], row: inner.row, in: inner)
            return
        }
        for (line, event) in events.prefix(inner.height).enumerated() {
            let spans = [
                Span(" " + Formatting.clock(event.time, timeZone: timeZone) + "  ", .muted),
                Span(TextFit.fit(UIStrings.eventKind(event.kind), to: kindWidth), role(event.kind)),
                Span(" " + Escaping.controls(event.text), .text),
            ]
            buffer.putLine(spans, row: inner.row + line, in: inner)
        }
    }

    static func role(_ kind: EventRow.Kind) -> Role {
        switch kind {
        case .connect: return .ok
        case .disconnect: return .muted
        case .subscribe, .unsubscribe: return .text
        case .error: return .error
        case .info: return .muted
        }
    }
}
