import EMQXLayout
import MQTTBroker
import NIOCore
import RedisClient
import RESP

/// A rule of `{"commands": [...]}`: each template filled from the event, run in order, pipelined.
enum CommandTemplateAction {
    static func run(_ templates: [CommandTemplate], values: TemplateValues, _ context: RuleContext) {
        context.write(templates.map { template in
            RedisCommand(template.name, template.arguments(values).map { RESPArgument($0) })
        })
    }

    /// `${message}`: the message's field/value list, as stored by `on_message_publish`.
    static func messageFields(_ message: BrokerMessage, _ context: RuleContext) -> [ByteBuffer] {
        context.messageFields(message, id: message.id.description, order: StoredMessageFields.messageOrder)
            .flatMap { [$0.0.bytes, $0.1.bytes] }
    }
}
