import NIOCore
@testable import RedisBackend
import Testing

/// Templates are split before substitution: a value can never add an argument or a command.
struct CommandTemplateTests {
    @Test func valuesStayOneArgumentWhateverTheyHold() throws {
        let template = try CommandTemplate("HSET sub:${clientid} ${topic} ${qos}", hook: .sessionSubscribed)
        let hostile = "a b\r\n*3\r\n$3\r\nDEL\r\n\"quoted\""
        let arguments = template.arguments(TemplateValues(clientID: "c 1", topic: hostile, qos: 2))
        #expect(template.name == "HSET")
        #expect(arguments.map { String(buffer: $0) } == ["sub:c 1", hostile, "2"])
    }

    @Test func variablesInsideAWord() throws {
        let template = try CommandTemplate("DEL mqtt:acked:${clientid}:${topic}", hook: .sessionUnsubscribed)
        #expect(template.arguments(TemplateValues(clientID: "c", topic: "pubsub/x")).map { String(buffer: $0) }
                == ["mqtt:acked:c:pubsub/x"])
    }

    @Test func messageExpandsToFieldValuePairs() throws {
        let template = try CommandTemplate("HMSET m:${msgid} ${message}", hook: .messagePublish)
        let fields = ["id", "X", "from", "c"].map { ByteBuffer(string: $0) }
        let arguments = template.arguments(TemplateValues(msgid: "X", messageFields: fields))
        #expect(arguments.map { String(buffer: $0) } == ["m:X", "id", "X", "from", "c"])
    }

    @Test func payloadIsBinarySafe() throws {
        let template = try CommandTemplate("SET p ${payload}", hook: .messagePublish)
        let payload = ByteBuffer(bytes: [0x00, 0xFF, 0x0D, 0x0A, 0x20])
        #expect(template.arguments(TemplateValues(payload: payload)) == [ByteBuffer(string: "p"), payload])
    }
}
