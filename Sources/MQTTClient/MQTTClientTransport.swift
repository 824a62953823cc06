import MQTTCore
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket

/// How the bytes travel: plain TCP, TLS, or WebSocket (plain or over TLS) at a path, with the `mqtt`
/// subprotocol (MQTT 5.0 §6).
public enum MQTTClientTransport: Sendable {
    case tcp
    case tls(TLSConfiguration)
    case webSocket(path: String, tls: TLSConfiguration?)

    var tls: TLSConfiguration? {
        switch self {
        case .tcp: nil
        case .tls(let configuration): configuration
        case .webSocket(_, let configuration): configuration
        }
    }

    /// Adds TLS and, for WebSocket, the HTTP upgrade in front of the MQTT handlers; `addMQTT` runs once the
    /// bytes are MQTT (at once, or after the upgrade) and `ready` completes then.
    func configure(_ channel: Channel, host: String, ready: EventLoopPromise<Void>,
                   addMQTT: @escaping @Sendable (Channel) throws -> Void) throws {
        let sync = channel.pipeline.syncOperations
        if let tls {
            let context = try NIOSSLContext(configuration: tls)
            let hostname = Self.isIPAddress(host) ? nil : host
            try sync.addHandler(try NIOSSLClientHandler(context: context, serverHostname: hostname))
        }
        guard case .webSocket(let path, _) = self else {
            try addMQTT(channel)
            ready.succeed()
            return
        }
        let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 24) { channel, _ in
            // The request handler reads HTTP; from here on the bytes are MQTT.
            channel.pipeline.removeHandler(name: WebSocketRequest.name).flatMapThrowing {
                try channel.pipeline.syncOperations.addHandler(WebSocketBytesHandler(masksFrames: true))
                try addMQTT(channel)
                ready.succeed()
            }
        }
        try sync.addHTTPClientHandlers(withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
        try sync.addHandler(WebSocketRequest(host: host, path: path, failed: ready), name: WebSocketRequest.name)
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// Sends the upgrade request once connected; a refused upgrade (any HTTP answer reaching it) fails `failed`.
private final class WebSocketRequest: ChannelInboundHandler, RemovableChannelHandler {
    static let name = "mqtt.websocket-request"

    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let host: String
    let path: String
    let failed: EventLoopPromise<Void>

    init(host: String, path: String, failed: EventLoopPromise<Void>) {
        self.host = host
        self.path = path
        self.failed = failed
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Sec-WebSocket-Protocol", value: "mqtt")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            failed.fail(MQTTClientError(.connectionClosed, "WebSocket upgrade refused: HTTP \(head.status.code)"))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failed.fail(error)
        context.close(promise: nil)
    }
}
