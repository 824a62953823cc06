import MQTTCore
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// MQTT over WebSocket (MQTT 5.0 §6): an HTTP upgrade at `/mqtt` with the `mqtt` subprotocol, then binary
/// frames carrying the MQTT byte stream (a packet may span frames, a frame may hold several packets).
enum WebSocketUpgrade {
    static func configure(_ channel: Channel,
                          then addMQTT: @escaping @Sendable (Channel) throws -> Void) -> EventLoopFuture<Void> {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 24,
            shouldUpgrade: { channel, head in
                guard head.uri.split(separator: "?").first.map(String.init) == ListenerConfiguration.webSocketPath else {
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                let offered = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map { $0.lowercased() }
                var headers = HTTPHeaders()
                if offered.contains("mqtt") {
                    headers.add(name: "Sec-WebSocket-Protocol", value: "mqtt")
                } else if offered.contains("mqttv3.1") {
                    headers.add(name: "Sec-WebSocket-Protocol", value: "mqttv3.1")
                }
                return channel.eventLoop.makeSucceededFuture(headers)
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(WebSocketBytesHandler(masksFrames: false))
                    try addMQTT(channel)
                }
            })
        return channel.pipeline.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
    }
}
