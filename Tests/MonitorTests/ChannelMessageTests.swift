import EMQXLayout
import Testing

/// The SUB/UNSUB channel message, written and read in one place: what the console publishes is what the
/// backend and the Events strip read, and a bad message says what is wrong with it.
@Suite struct ChannelMessageTests {
    @Test func roundTripsWithEMQXsKeyOrder() throws {
        let subscribe = ChannelMessage(kind: .subscribe, topic: "sensor/+/temp", clientID: "设备-01", qos: 2)
        #expect(subscribe.text == #"{"type":"subscribe","topic":"sensor/+/temp","clientid":"设备-01","qos":2}"#)
        #expect(try ChannelMessage(decoding: subscribe.text) == subscribe)
        let unsubscribe = ChannelMessage(kind: .unsubscribe, topic: "a/#", clientID: "c")
        #expect(unsubscribe.text == #"{"type":"unsubscribe","topic":"a/#","clientid":"c"}"#)
        #expect(try ChannelMessage(decoding: unsubscribe.text) == unsubscribe)
        // A business server may send qos as a string, and spaces anywhere.
        #expect(try ChannelMessage(decoding: #"{ "type": "subscribe", "topic": "t", "clientid": "c", "qos": "1" }"#).qos == 1)
    }

    @Test(arguments: [
        ("not json", "not a JSON object"),
        (#"{"topic": "a", "clientid": "c"}"#, #"no "type""#),
        (#"{"type": "teleport", "topic": "a", "clientid": "c"}"#, #"unknown type "teleport" (subscribe or unsubscribe)"#),
        (#"{"type": "subscribe", "clientid": "c"}"#, #""topic" is missing or not a valid topic filter"#),
        (#"{"type": "subscribe", "topic": "a"}"#, #""clientid" is missing"#),
        (#"{"type": "subscribe", "topic": "a", "clientid": "c", "qos": 7}"#, #""qos" must be 0, 1 or 2"#),
        (#"{"type": "subscribe", "topic": "a", "clientid": "c", "qos": true}"#, #""qos" must be 0, 1 or 2"#),
    ])
    func badMessagesSayWhatIsWrong(text: String, reason: String) {
        #expect(throws: ChannelMessageError.self) { try ChannelMessage(decoding: text) }
        do {
            _ = try ChannelMessage(decoding: text)
        } catch {
            #expect(error.reason == reason)
        }
    }
}
