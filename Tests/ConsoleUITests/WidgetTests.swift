import ConsoleUI
import EMQXLayout
import Foundation
import Testing

@Suite struct WidgetTests {
    @Test func truncationAndPaddingAreWidthAware() {
        #expect(TextFit.truncate("building/north-wing", to: 10) == "building/…")
        #expect(TextFit.truncate("设备-01", to: 4) == "设…")
        #expect(CharWidth.of(TextFit.fit("设备-01", to: 4)) == 4)
        #expect(TextFit.fit("5", to: 4, alignment: .right) == "   5")
        #expect(TextFit.fit("abc", to: 3) == "abc")
        #expect(TextFit.truncate("abc", to: 0) == "")
        #expect(TextFit.truncateHead("unix:/very/long/redis.sock", to: 12) == "…/redis.sock")
        #expect(TextFit.hardWrap("abcdef", to: 4) == ["abcd", "ef"])
        #expect(TextFit.hardWrap("设备设备", to: 5) == ["设备", "设备"])
        #expect(TextFit.softWrap("HSET a b / PUBLISH c {\"x\":1,\"y\":2}", to: 16)
                == ["HSET a b / ", "PUBLISH c ", "{\"x\":1,\"y\":2}"])
        #expect(TextFit.softWrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
        #expect(TextFit.softWrap("short", to: 10) == ["short"])
    }

    @Test func columnLayoutFillsExactlyAndDropsWhatCannotFit() {
        let columns = [
            TableColumn("A", .flex(min: 4, preferred: 8, weight: 1)),
            TableColumn("B", .fixed(5), alignment: .right),
            TableColumn("C", .flex(min: 4, preferred: 8, weight: 3)),
            TableColumn("OPT", .fixed(6), optional: true),
        ]
        for available in [14, 20, 29, 30, 60] {
            let layout = TableColumn.layout(columns, available: available)
            let used = layout.reduce(0) { $0 + $1.width } + layout.count - 1
            #expect(used == available, "available \(available): \(layout)")
        }
        // OPT needs A and C at their preferred 8: 8 + 5 + 8 + 6 and three separators = 30.
        #expect(TableColumn.layout(columns, available: 29).map(\.index) == [0, 1, 2])
        #expect(TableColumn.layout(columns, available: 30).map(\.index) == [0, 1, 2, 3])
        #expect(TableColumn.layout(columns, available: 10).map(\.index) == [0, 1])
    }

    @Test func scrollOffsetKeepsTheSelectionInTheWindow() {
        #expect(Table.scrollOffset(selected: 0, offset: 0, count: 50, visible: 6) == 0)
        #expect(Table.scrollOffset(selected: 6, offset: 0, count: 50, visible: 6) == 1)
        #expect(Table.scrollOffset(selected: 3, offset: 5, count: 50, visible: 6) == 3)
        #expect(Table.scrollOffset(selected: 49, offset: 0, count: 50, visible: 6) == 44)
        #expect(Table.scrollOffset(selected: 2, offset: 40, count: 5, visible: 6) == 0)
    }

    @Test func tableDrawsSelectionBarAndRoles() {
        var buffer = ScreenBuffer(width: 20, height: 3)
        let table = Table(columns: [TableColumn("ID", .flex(min: 4, preferred: 8, weight: 1)), TableColumn("N", .fixed(3), alignment: .right)],
                          rows: [TableRow(id: "a", cells: [TableCell("alpha"), TableCell("7", role: .ok)]),
                                 TableRow(id: "b", cells: [TableCell("beta\u{1B}"), TableCell("12")])],
                          selected: 1, offset: 0, focused: true, emptyText: "none")
        table.draw(into: &buffer, rect: buffer.bounds)
        #expect(buffer.lines == [" ID                N", " alpha             7", "▌beta\\e           12"])
        #expect(buffer[1, 19].style.role == .ok)
        #expect(buffer[2, 5].style.role == .selection)
        #expect(buffer[0, 1].style.role == .columnHeader)
    }

    @Test func sparkline() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7], width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, 5], width: 8) == "██")
        #expect(Sparkline.render([0, 0, 0], width: 8) == "▁▁▁")
        #expect(Sparkline.render(Array(repeating: 1, count: 30), width: 12).count == 12)
        #expect(Sparkline.render([.nan, 2], width: 4) == "▁█")
    }

    @Test func keyHintBarDropsWholeHintsByPriority() {
        var buffer = ScreenBuffer(width: 30, height: 1)
        KeyHintBar(hints: [UIStrings.hintHelp, UIStrings.hintPane, UIStrings.hintTheme, UIStrings.hintQuit]).draw(into: &buffer, rect: buffer.bounds)
        #expect(buffer.text(row: 0) == " ? help  Tab pane  q quit     ")
        #expect(buffer[0, 1].style.role == .keyHint)
    }

    @Test func borderedPaneTitleIsClippedInsideTheCorners() {
        var buffer = ScreenBuffer(width: 12, height: 3)
        BorderedPane(title: "A very long title", focused: true).draw(into: &buffer, rect: buffer.bounds)
        #expect(buffer.lines == ["┌ A very … ┐", "│          │", "└──────────┘"])
        #expect(buffer[0, 2].style.role == .titleFocused)
    }

    @Test func payloadFormats() {
        #expect(Escaping.payload(Data([0x61, 0xFF, 0x62, 0x0A, 0xE8, 0xAE, 0xBE])) == "a\\xffb\\n设")
        #expect(Escaping.payload(Data("\r\n\t\u{7F}".utf8)) == "\\r\\n\\t\\x7f")
        #expect(PayloadFormat.json(Data("[1, {\"b\": [], \"a\": \"x,y\"}]".utf8), width: 80) == [
            "[", "  1,", "  {", "    \"b\": [],", "    \"a\": \"x,y\"", "  }", "]",
        ])
        #expect(PayloadFormat.json(Data("not json".utf8), width: 80) == nil)
        #expect(PayloadFormat.json(Data("42".utf8), width: 80) == ["42"])
        #expect(PayloadFormat.hex(Data("hi\n".utf8), width: 40) == ["00000000  68 69 0a                  |hi.|"])
        #expect(PayloadFormat.text(Data(), width: 10) == [UIStrings.emptyPayload])
        #expect(PayloadFormat.text(Data("abcdefgh\nij".utf8), width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func jsonAndCommandTextEscaping() {
        #expect(JSONText.escaped("a\"b\\c\n\u{01}/é") == "a\\\"b\\\\c\\n\\u0001/é")
        #expect(ChannelMessage(kind: .subscribe, topic: "a/+", clientID: "c", qos: 2).text
                == #"{"type":"subscribe","topic":"a/+","clientid":"c","qos":2}"#)
        #expect(ChannelMessage(kind: .unsubscribe, topic: "a/#", clientID: "c").text
                == #"{"type":"unsubscribe","topic":"a/#","clientid":"c"}"#)
        #expect(PlannedCommand(["DEL", "mqtt:retain:a b"]).description == "DEL 'mqtt:retain:a b'")
        #expect(PlannedCommand(["DEL", "it's here"]).description == #"DEL "it's here""#)
        #expect(PlannedCommand(["DEL", ""]).description == "DEL ''")
        #expect(WritePlan.commands(for: .quit).isEmpty)
        // The message is valid JSON that decodes back to the same values, with Foundation and with the layout.
        let message = ChannelMessage(kind: .subscribe, topic: "x/设", clientID: "a\"b\\c\u{7}", qos: 1)
        let decoded = try? JSONSerialization.jsonObject(with: Data(message.text.utf8)) as? [String: Any]
        #expect(decoded?["clientid"] as? String == "a\"b\\c\u{7}")
        #expect(decoded?["topic"] as? String == "x/设")
        #expect((try? ChannelMessage(decoding: message.text)) == message)
    }

    @Test func topicMatching() {
        #expect(TopicMatch.matches(filter: "sensor/+/temp", topic: "sensor/kitchen/temp"))
        #expect(!TopicMatch.matches(filter: "sensor/+/temp", topic: "sensor/kitchen/temp/x"))
        #expect(TopicMatch.matches(filter: "sport/#", topic: "sport"))
        #expect(TopicMatch.matches(filter: "#", topic: "a/b/c"))
        #expect(!TopicMatch.matches(filter: "#", topic: "$SYS/broker"))
        #expect(!TopicMatch.matches(filter: "+/broker", topic: "$SYS/broker"))
        #expect(TopicMatch.matches(filter: "+/+", topic: "/finance"))
        #expect(!TopicMatch.isValidFilter("a/#/b") && !TopicMatch.isValidFilter("a+") && !TopicMatch.isValidFilter(""))
        #expect(TopicMatch.isValidFilter("a/+/#"))
        // An invalid wildcard filter falls back to substring search.
        #expect(!RowFilter("a#", wildcardAllowed: true).isWildcard)
        #expect(RowFilter("a#", wildcardAllowed: true).matches(topic: "xa#y", fields: ["xa#y"]))
    }

    @Test func formattingHelpers() {
        #expect(Formatting.age(milliseconds: 3_000) == "3s")
        #expect(Formatting.age(milliseconds: 720_000) == "12m")
        #expect(Formatting.age(milliseconds: 7_200_000) == "2h")
        #expect(Formatting.age(milliseconds: 3 * 86_400_000) == "3d")
        #expect(Formatting.age(milliseconds: -5_000) == "0s")
        #expect(Formatting.compact(0) == "0" && Formatting.compact(950) == "950")
        #expect(Formatting.compact(1_400) == "1.4k" && Formatting.compact(9_999) == "10k" && Formatting.compact(3_100_000) == "3.1M")
        #expect(Formatting.bytes(512) == "512 B" && Formatting.bytes(1536) == "1.5 KB")
        #expect(Formatting.clock(Date(timeIntervalSince1970: 3_661), timeZone: Fixtures.utc) == "01:01:01")
    }

    @Test func lineEditorWindowFollowsTheCursor() {
        var editor = LineEditor("abcdefghij")
        #expect(editor.window(width: 5).text == "ghij" && editor.window(width: 5).cursorColumn == 4)
        _ = editor.handle(.home)
        #expect(editor.window(width: 5).text == "abcde" && editor.window(width: 5).cursorColumn == 0)
        _ = editor.handle(.right)
        _ = editor.handle(.delete)
        #expect(editor.text == "acdefghij")
        let consumed = editor.handle(.enter)
        #expect(!consumed)
    }
}
