import Foundation
import MQTTCore
import Monitor
import NIOCore

/// The MQTT 5 properties of a message as the topic tail lists them.
enum TrafficProperties {
    static func lines(_ properties: MQTTProperties) -> [TrafficSample.Property] {
        var lines: [TrafficSample.Property] = []
        if let format = properties.payloadFormatIndicator {
            lines.append(.init("payload format", format == 1 ? "UTF-8" : "bytes"))
        }
        if let type = properties.contentType { lines.append(.init("content type", type)) }
        if let topic = properties.responseTopic { lines.append(.init("response topic", topic)) }
        if let data = properties.correlationData {
            lines.append(.init("correlation data", printable(data)))
        }
        if let expiry = properties.messageExpiryInterval { lines.append(.init("message expiry", "\(expiry)s")) }
        for property in properties.userProperties { lines.append(.init("user " + property.name, property.value)) }
        return lines
    }

    /// The broker keeps the expiry as a deadline rather than a property.
    static func lines(_ properties: MQTTProperties?, expiresAt: NIODeadline?) -> [TrafficSample.Property] {
        var result = properties.map(lines) ?? []
        if let expiresAt {
            let seconds = max(0, (expiresAt - .now()).nanoseconds / 1_000_000_000)
            result.append(.init("message expiry", "\(seconds)s left"))
        }
        return result
    }

    /// Text when it is UTF-8 without control characters, hex otherwise.
    private static func printable(_ buffer: ByteBuffer) -> String {
        let bytes = Array(buffer.readableBytesView)
        if let text = String(validating: bytes, as: UTF8.self), !text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return text
        }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}
