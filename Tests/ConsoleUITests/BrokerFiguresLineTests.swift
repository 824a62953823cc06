@testable import ConsoleUI
import Monitor
import Testing

/// The broker's figures on a narrow terminal: whole figures give way, and the ones an operator acts on
/// (which node, the rates, messages dropped) stay.
@Suite struct BrokerFiguresLineTests {
    static var busy: BrokerFigures {
        var figures = BrokerFigures()
        figures.node = "mqtop@edge-7"
        figures.uptimeSeconds = 3_600
        figures.connections = 12_000
        figures.messagesInPerSecond = 48_000
        figures.messagesOutPerSecond = 96_000
        figures.bytesIn = 1 << 30
        figures.bytesOut = 1 << 31
        figures.subscriptions = 24_000
        figures.retained = 1_000
        figures.dropped = 17
        return figures
    }

    static func text(_ figures: BrokerFigures, width: Int?) -> String {
        BrokerFiguresLine.spans(figures, width: width).map(\.text).joined()
    }

    @Test func eightyColumnsKeepTheNodeTheRatesAndWhatWasDropped() {
        let line = Self.text(Self.busy, width: 80)
        #expect(line.count <= 80 && !line.contains("…"))
        #expect(line == " node mqtop@edge-7 · in 48k msg/s · out 96k msg/s · dropped 17", "\(line)")
        #expect(Self.text(Self.busy, width: 90).contains(" · connections 12000 · "))
        let dropped = BrokerFiguresLine.spans(Self.busy, width: 80).last
        #expect(dropped?.text == "17" && dropped?.style == Style(.warn))
    }

    @Test func aWideRowShowsEveryFigureInOrder() {
        let line = Self.text(Self.busy, width: nil)
        #expect(line.hasPrefix(" node mqtop@edge-7 · up 1h · connections 12000 · in 48k msg/s · out 96k msg/s · bytes in "))
        #expect(line.hasSuffix(" · subscriptions 24000 · retained 1000 · dropped 17"), "\(line)")
    }
}
