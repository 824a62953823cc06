import NIOCore

/// UNSUBSCRIBE (§3.10).
public struct UnsubscribePacket: MQTTPacketCodable, Hashable {
    public static let packetType = PacketType.unsubscribe

    public var packetID: UInt16
    public var filters: [String]
    public var properties: MQTTProperties

    public init(packetID: UInt16, filters: [String], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.filters = filters
        self.properties = properties
    }

    public static func read(from reader: inout PacketReader, flags: UInt8, version: MQTTVersion) throws -> Self {
        let id = try reader.readUInt16("packet identifier")
        guard id != 0 else { throw MQTTProtocolError.malformed("packet identifier 0", .unsubscribe) }
        let properties = version.hasProperties ? try reader.readProperties(.unsubscribe) : MQTTProperties()
        var filters: [String] = []
        while !reader.isAtEnd { filters.append(try reader.readString("topic filter")) }
        guard !filters.isEmpty else {
            throw MQTTProtocolError.protocolError("UNSUBSCRIBE without topic filters", .unsubscribe)
        }
        return UnsubscribePacket(packetID: id, filters: filters, properties: properties)
    }

    public func bodySize(version: MQTTVersion) -> Int {
        2 + (version.hasProperties ? properties.encodedSize : 0) + filters.reduce(0) { $0 + $1.mqttFieldSize }
    }

    public func writeBody(version: MQTTVersion, to buffer: inout ByteBuffer) {
        buffer.writeInteger(packetID, endianness: .big)
        if version.hasProperties { properties.write(to: &buffer) }
        for filter in filters { buffer.writeMQTTString(filter) }
    }
}
