import MQTTCore
import NIOCore

/// The client's channel handler: matches acknowledgements to waiting callers, acknowledges incoming
/// messages, resolves topic aliases, and reports every packet to the client's streams.
final class MQTTClientHandler: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket

    let version: MQTTVersion
    let autoAcknowledge: Bool
    let events: AsyncStream<MQTTClientEvent>.Continuation
    var connackPromise: EventLoopPromise<ConnAckPacket>?
    /// Callers waiting for the acknowledgement of a packet id (SUBACK, UNSUBACK, PUBACK, PUBCOMP).
    var waiting: [UInt16: EventLoopPromise<MQTTPacket>] = [:]
    var inboundAliases: [UInt16: String] = [:]
    var context: ChannelHandlerContext?

    init(version: MQTTVersion, autoAcknowledge: Bool, events: AsyncStream<MQTTClientEvent>.Continuation) {
        self.version = version
        self.autoAcknowledge = autoAcknowledge
        self.events = events
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func send(_ packet: MQTTPacket, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: packet.encodedSize(version: version))
        packet.write(version: version, to: &buffer)
        context.writeAndFlush(NIOAny(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        events.yield(.packet(packet))
        switch packet {
        case .connack(let connack):
            connackPromise?.succeed(connack)
            connackPromise = nil
        case .publish(let publish):
            receive(publish, context: context)
        case .publishAck(let ack):
            switch ack.kind {
            case .puback, .pubcomp:
                waiting.removeValue(forKey: ack.packetID)?.succeed(packet)
            case .pubrec:
                if ack.reason.isFailure {
                    waiting.removeValue(forKey: ack.packetID)?.succeed(packet)
                } else if autoAcknowledge {
                    send(.publishAck(PublishAckPacket(.pubrel, packetID: ack.packetID)), context: context)
                }
            case .pubrel:
                if autoAcknowledge {
                    send(.publishAck(PublishAckPacket(.pubcomp, packetID: ack.packetID)), context: context)
                }
            }
        case .suback(let suback):
            waiting.removeValue(forKey: suback.packetID)?.succeed(packet)
        case .unsuback(let unsuback):
            waiting.removeValue(forKey: unsuback.packetID)?.succeed(packet)
        case .disconnect(let disconnect):
            events.yield(.disconnected(disconnect.reason))
            // Nothing follows a DISCONNECT (§3.14.4): closing now spares the server its wait for us.
            context.close(promise: nil)
        default:
            break
        }
    }

    private func receive(_ publish: PublishPacket, context: ChannelHandlerContext) {
        var topic = publish.topic
        if let alias = publish.properties.topicAlias {
            if topic.isEmpty {
                topic = inboundAliases[alias] ?? ""
            } else {
                inboundAliases[alias] = topic
            }
        }
        events.yield(.message(ReceivedMessage(topic: topic, payload: publish.payload, qos: publish.qos,
                                              retain: publish.retain, dup: publish.dup, packetID: publish.packetID,
                                              properties: publish.properties,
                                              topicAlias: publish.properties.topicAlias)))
        guard autoAcknowledge, let id = publish.packetID else { return }
        switch publish.qos {
        case .atLeastOnce: send(.publishAck(PublishAckPacket(.puback, packetID: id)), context: context)
        case .exactlyOnce: send(.publishAck(PublishAckPacket(.pubrec, packetID: id)), context: context)
        case .atMostOnce: break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = MQTTClientError(.connectionClosed, "connection closed")
        connackPromise?.fail(error)
        connackPromise = nil
        for promise in waiting.values { promise.fail(error) }
        waiting.removeAll()
        events.yield(.closed)
        events.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        events.yield(.error("\(error)"))
        context.close(promise: nil)
    }
}

/// Everything that happens on a client's connection, in order.
public enum MQTTClientEvent: Sendable {
    case packet(MQTTPacket)
    case message(ReceivedMessage)
    case disconnected(ReasonCode)
    case error(String)
    case closed
}
