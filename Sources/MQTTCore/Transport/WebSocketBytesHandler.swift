import NIOCore
import NIOWebSocket

/// MQTT over WebSocket (MQTT 5.0 §6): binary frames in and out as plain bytes for the MQTT handlers
/// (a packet may span frames, a frame may hold several packets); answers pings and closes. A client masks
/// every frame it sends (RFC 6455 §5.3), a server never does.
public final class WebSocketBytesHandler: ChannelDuplexHandler {
    public typealias InboundIn = WebSocketFrame
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = WebSocketFrame

    private let masksFrames: Bool
    private var closing = false

    public init(masksFrames: Bool) {
        self.masksFrames = masksFrames
    }

    private func frame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: masksFrames ? .random() : nil, data: data)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .continuation:
            context.fireChannelRead(wrapInboundOut(frame.unmaskedData))
        case .ping:
            let pong = self.frame(.pong, frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            close(context: context, code: .normalClosure)
        case .text:
            // MQTT over WebSocket is binary only (§6.0.0-1).
            close(context: context, code: .unacceptableData)
        default:
            break
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = unwrapOutboundIn(data)
        context.write(wrapOutboundOut(frame(.binary, bytes)), promise: promise)
    }

    private func close(context: ChannelHandlerContext, code: WebSocketErrorCode) {
        guard !closing else { return }
        closing = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame(.connectionClose, data)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}
