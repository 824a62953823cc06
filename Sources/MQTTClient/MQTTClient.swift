import MQTTCore
import NIOCore
import NIOPosix

/// A small async MQTT 3.1.1/5.0 client on SwiftNIO, for the demo devices, the load tool and the tests.
public final class MQTTClient: Sendable {
    public let options: MQTTClientOptions
    public let channel: Channel
    public let connack: ConnAckPacket
    /// Application messages received, in order.
    public let messages: AsyncStream<ReceivedMessage>
    /// Every inbound packet and connection event, in order (tests inspect the raw protocol here).
    public let events: AsyncStream<MQTTClientEvent>
    private let handler: NIOLoopBound<MQTTClientHandler>
    private let packetIDs = PacketIDCounter()

    private init(options: MQTTClientOptions, channel: Channel, connack: ConnAckPacket,
                 messages: AsyncStream<ReceivedMessage>, events: AsyncStream<MQTTClientEvent>,
                 handler: NIOLoopBound<MQTTClientHandler>) {
        self.options = options
        self.channel = channel
        self.connack = connack
        self.messages = messages
        self.events = events
        self.handler = handler
    }

    /// Connects and waits for CONNACK. A refused CONNACK throws `connectionRefused` with its reason.
    public static func connect(_ options: MQTTClientOptions,
                               group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> MQTTClient {
        let (rawEvents, rawContinuation) = AsyncStream<MQTTClientEvent>.makeStream()
        let (eventStream, eventContinuation) = AsyncStream<MQTTClientEvent>.makeStream(
            bufferingPolicy: options.eventBufferLimit.map { .bufferingNewest($0) } ?? .unbounded)
        let (messageStream, messageContinuation) = AsyncStream<ReceivedMessage>.makeStream(
            bufferingPolicy: options.messageBufferLimit.map { .bufferingNewest($0) } ?? .unbounded)
        // Fan one ordered stream out to the two public ones.
        Task {
            for await event in rawEvents {
                if case .message(let message) = event { messageContinuation.yield(message) }
                eventContinuation.yield(event)
            }
            messageContinuation.finish()
            eventContinuation.finish()
        }
        let version = options.version
        let ready = group.any().makePromise(of: Void.self)
        let addMQTT: @Sendable (Channel) throws -> Void = { channel in
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(MQTTByteToPacketDecoder(decoder: MQTTPacketDecoder(version: version))),
                MQTTClientHandler(version: version, autoAcknowledge: options.autoAcknowledge, events: rawContinuation),
            ])
        }
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(options.connectTimeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try options.transport.configure(channel, host: options.host, ready: ready, addMQTT: addMQTT)
                    }
                }
                .connect(host: options.host, port: options.port).get()
        } catch {
            ready.fail(error)
            throw error
        }
        do {
            // TLS and the WebSocket upgrade come first.
            try await ready.futureResult.withTimeout(options.connectTimeout, on: channel.eventLoop).get()
        } catch {
            try? await channel.close()
            throw error
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: MQTTClientHandler.self),
                         eventLoop: channel.eventLoop)
        }.get()
        let connect = ConnectPacket(version: options.version, clientID: options.clientID, cleanStart: options.cleanStart,
                                    keepAlive: options.keepAlive, username: options.username,
                                    password: options.password.map { ByteBuffer(string: $0) }, will: options.will,
                                    properties: options.connectProperties)
        let connack: ConnAckPacket
        do {
            connack = try await channel.eventLoop.flatSubmit {
                let promise = channel.eventLoop.makePromise(of: ConnAckPacket.self)
                let handler = handler.value
                handler.connackPromise = promise
                if let context = handler.context { handler.send(.connect(connect), context: context) }
                return promise.futureResult
            }.withTimeout(options.connectTimeout, on: channel.eventLoop).get()
        } catch {
            try? await channel.close()
            throw error
        }
        guard !connack.reason.isFailure else {
            try? await channel.close()
            throw MQTTClientError(.connectionRefused(connack.reason), "CONNACK refused: \(connack.reason)")
        }
        return MQTTClient(options: options, channel: channel, connack: connack, messages: messageStream,
                          events: eventStream, handler: handler)
    }

    /// Publishes and, for QoS 1/2, waits for PUBACK or PUBCOMP; returns that acknowledgement.
    @discardableResult
    public func publish(_ topic: String, _ payload: String, qos: QoS = .atMostOnce, retain: Bool = false,
                        properties: MQTTProperties = MQTTProperties()) async throws -> PublishAckPacket? {
        try await publish(topic, ByteBuffer(string: payload), qos: qos, retain: retain, properties: properties)
    }

    @discardableResult
    public func publish(_ topic: String, _ payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false,
                        properties: MQTTProperties = MQTTProperties()) async throws -> PublishAckPacket? {
        let id = qos == .atMostOnce ? nil : packetIDs.next()
        let packet = PublishPacket(topic: topic, payload: payload, qos: qos, retain: retain, packetID: id,
                                   properties: properties)
        guard let id else {
            try await send(.publish(packet))
            return nil
        }
        guard case .publishAck(let ack) = try await request(.publish(packet), id: id) else {
            throw MQTTClientError(.protocolViolation, "unexpected answer to PUBLISH")
        }
        return ack
    }

    public func subscribe(_ subscriptions: [SubscriptionRequest],
                          properties: MQTTProperties = MQTTProperties()) async throws -> SubAckPacket {
        let id = packetIDs.next()
        let packet = SubscribePacket(packetID: id, subscriptions: subscriptions, properties: properties)
        guard case .suback(let suback) = try await request(.subscribe(packet), id: id) else {
            throw MQTTClientError(.protocolViolation, "unexpected answer to SUBSCRIBE")
        }
        return suback
    }

    public func subscribe(_ filter: String, qos: QoS = .atMostOnce) async throws -> SubAckPacket {
        try await subscribe([SubscriptionRequest(filter: filter, qos: qos)])
    }

    public func unsubscribe(_ filters: [String]) async throws -> UnsubAckPacket {
        let id = packetIDs.next()
        guard case .unsuback(let unsuback) = try await request(.unsubscribe(UnsubscribePacket(packetID: id,
                                                                                               filters: filters)),
                                                            id: id) else {
            throw MQTTClientError(.protocolViolation, "unexpected answer to UNSUBSCRIBE")
        }
        return unsuback
    }

    /// Sends any packet as is (tests use this to drive the protocol by hand).
    public func send(_ packet: MQTTPacket) async throws {
        let handler = self.handler
        try await channel.eventLoop.submit {
            let handler = handler.value
            guard let context = handler.context else {
                throw MQTTClientError(.connectionClosed, "connection closed")
            }
            handler.send(packet, context: context)
        }.get()
    }

    /// Sends raw bytes (malformed-packet tests).
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    private func request(_ packet: MQTTPacket, id: UInt16, timeout: TimeAmount = .seconds(10)) async throws -> MQTTPacket {
        let handler = self.handler
        let loop = channel.eventLoop
        return try await loop.flatSubmit {
            let handler = handler.value
            guard let context = handler.context, context.channel.isActive else {
                return loop.makeFailedFuture(MQTTClientError(.connectionClosed, "connection closed"))
            }
            let promise = loop.makePromise(of: MQTTPacket.self)
            handler.waiting[id] = promise
            handler.send(packet, context: context)
            return promise.futureResult
        }.withTimeout(timeout, on: loop).get()
    }

    /// Sends DISCONNECT (with `reason` in 5.0) and closes.
    public func disconnect(reason: ReasonCode = .normalDisconnection,
                           properties: MQTTProperties = MQTTProperties()) async {
        try? await send(.disconnect(DisconnectPacket(reason: reason, properties: properties)))
        try? await channel.close()
    }

    /// Drops the connection without DISCONNECT, as a crashed device would.
    public func close() async {
        try? await channel.close()
    }

    public var isActive: Bool { channel.isActive }
}

extension EventLoopFuture where Value: Sendable {
    /// Fails with `timeout` unless this future completes within `amount`.
    func withTimeout(_ amount: TimeAmount, on loop: EventLoop) -> EventLoopFuture<Value> {
        let promise = loop.makePromise(of: Value.self)
        let timer = loop.scheduleTask(in: amount) {
            promise.fail(MQTTClientError(.timeout, "no answer within \(amount.nanoseconds / 1_000_000) ms"))
        }
        whenComplete { result in
            timer.cancel()
            promise.completeWith(result)
        }
        return promise.futureResult
    }
}

import Synchronization

/// Packet identifiers for the client's requests: 1...65535, wrapping.
final class PacketIDCounter: Sendable {
    private let value = Mutex<UInt16>(0)
    func next() -> UInt16 {
        value.withLock { value in
            value = value == UInt16.max ? 1 : value + 1
            return value
        }
    }
}
