import NIOCore

// MARK: - Decoding

extension PacketReader {
    /// Reads a property length and the properties it covers, refusing identifiers `context` does not allow,
    /// duplicates of single-valued properties, and out-of-range values (§2.2.2).
    public mutating func readProperties(_ context: PropertyContext) throws -> MQTTProperties {
        let length = try readVariableInteger("property length")
        var reader = try readSlice(length: length, "properties")
        var properties = MQTTProperties()
        var seen: Set<UInt8> = []
        while !reader.isAtEnd {
            let rawID = try reader.readVariableInteger("property identifier")
            guard rawID <= 0x7F, let id = PropertyID(rawValue: UInt8(rawID)) else {
                throw MQTTProtocolError.malformed("unknown property identifier 0x\(String(rawID, radix: 16))",
                                                  packetType)
            }
            guard context.allows(id) else {
                throw MQTTProtocolError.protocolError("property \(id) is not allowed here", packetType)
            }
            let repeatable = id == .userProperty || (id == .subscriptionIdentifier && context == .publish)
            if !repeatable && !seen.insert(id.rawValue).inserted {
                throw MQTTProtocolError.protocolError("property \(id) appears twice", packetType)
            }
            try reader.readPropertyValue(id, into: &properties)
        }
        return properties
    }

    private mutating func readBooleanByte(_ id: PropertyID) throws -> UInt8 {
        let value = try readByte("\(id)")
        guard value <= 1 else { throw MQTTProtocolError.protocolError("\(id) must be 0 or 1", packetType) }
        return value
    }

    private mutating func readPropertyValue(_ id: PropertyID, into p: inout MQTTProperties) throws {
        let name = "\(id)"
        switch id {
        case .payloadFormatIndicator: p.payloadFormatIndicator = try readBooleanByte(id)
        case .messageExpiryInterval: p.messageExpiryInterval = try readUInt32(name)
        case .contentType: p.contentType = try readString(name)
        case .responseTopic:
            let topic = try readString(name)
            guard TopicName(topic) != nil else {
                throw MQTTProtocolError.protocolError("response topic \(topic) is not a valid topic name",
                                                      packetType)
            }
            p.responseTopic = topic
        case .correlationData: p.correlationData = try readBinary(name)
        case .subscriptionIdentifier:
            let value = try readVariableInteger(name)
            guard value > 0 else {
                throw MQTTProtocolError.protocolError("subscription identifier 0", packetType)
            }
            p.subscriptionIdentifiers.append(value)
        case .sessionExpiryInterval: p.sessionExpiryInterval = try readUInt32(name)
        case .assignedClientIdentifier: p.assignedClientIdentifier = try readString(name)
        case .serverKeepAlive: p.serverKeepAlive = try readUInt16(name)
        case .authenticationMethod: p.authenticationMethod = try readString(name)
        case .authenticationData: p.authenticationData = try readBinary(name)
        case .requestProblemInformation: p.requestProblemInformation = try readBooleanByte(id)
        case .willDelayInterval: p.willDelayInterval = try readUInt32(name)
        case .requestResponseInformation: p.requestResponseInformation = try readBooleanByte(id)
        case .responseInformation: p.responseInformation = try readString(name)
        case .serverReference: p.serverReference = try readString(name)
        case .reasonString: p.reasonString = try readString(name)
        case .receiveMaximum:
            let value = try readUInt16(name)
            guard value > 0 else { throw MQTTProtocolError.protocolError("receive maximum 0", packetType) }
            p.receiveMaximum = value
        case .topicAliasMaximum: p.topicAliasMaximum = try readUInt16(name)
        case .topicAlias:
            let value = try readUInt16(name)
            guard value > 0 else { throw MQTTProtocolError(.topicAliasInvalid, "topic alias 0", packetType: packetType) }
            p.topicAlias = value
        case .maximumQoS:
            let value = try readByte(name)
            guard value <= 1 else { throw MQTTProtocolError.protocolError("maximum qos \(value)", packetType) }
            p.maximumQoS = value
        case .retainAvailable: p.retainAvailable = try readBooleanByte(id)
        case .userProperty:
            let key = try readString("user property name")
            let value = try readString("user property value")
            p.userProperties.append(UserProperty(key, value))
        case .maximumPacketSize:
            let value = try readUInt32(name)
            guard value > 0 else { throw MQTTProtocolError.protocolError("maximum packet size 0", packetType) }
            p.maximumPacketSize = value
        case .wildcardSubscriptionAvailable: p.wildcardSubscriptionAvailable = try readBooleanByte(id)
        case .subscriptionIdentifierAvailable: p.subscriptionIdentifierAvailable = try readBooleanByte(id)
        case .sharedSubscriptionAvailable: p.sharedSubscriptionAvailable = try readBooleanByte(id)
        }
    }
}

// MARK: - Encoding

extension MQTTProperties {
    /// Bytes of the property list without its length prefix.
    public var bodySize: Int {
        var size = 0
        func byte(_ v: UInt8?) { if v != nil { size += 2 } }
        func u16(_ v: UInt16?) { if v != nil { size += 3 } }
        func u32(_ v: UInt32?) { if v != nil { size += 5 } }
        func string(_ v: String?) { if let v { size += 1 + v.mqttFieldSize } }
        func binary(_ v: ByteBuffer?) { if let v { size += 3 + v.readableBytes } }
        byte(payloadFormatIndicator); u32(messageExpiryInterval); string(contentType); string(responseTopic)
        binary(correlationData)
        for id in subscriptionIdentifiers { size += 1 + VariableByteInteger.size(of: id) }
        u32(sessionExpiryInterval); string(assignedClientIdentifier); u16(serverKeepAlive)
        string(authenticationMethod); binary(authenticationData); byte(requestProblemInformation)
        u32(willDelayInterval); byte(requestResponseInformation); string(responseInformation)
        string(serverReference); string(reasonString); u16(receiveMaximum); u16(topicAliasMaximum)
        u16(topicAlias); byte(maximumQoS); byte(retainAvailable)
        for property in userProperties { size += 1 + property.name.mqttFieldSize + property.value.mqttFieldSize }
        u32(maximumPacketSize); byte(wildcardSubscriptionAvailable); byte(subscriptionIdentifierAvailable)
        byte(sharedSubscriptionAvailable)
        return size
    }

    /// Bytes of the property list including its length prefix.
    public var encodedSize: Int {
        let body = bodySize
        return VariableByteInteger.size(of: body) + body
    }

    public func write(to buffer: inout ByteBuffer) {
        VariableByteInteger.write(bodySize, to: &buffer)
        func byte(_ id: PropertyID, _ v: UInt8?) {
            if let v { buffer.writeInteger(id.rawValue); buffer.writeInteger(v) }
        }
        func u16(_ id: PropertyID, _ v: UInt16?) {
            if let v { buffer.writeInteger(id.rawValue); buffer.writeInteger(v, endianness: .big) }
        }
        func u32(_ id: PropertyID, _ v: UInt32?) {
            if let v { buffer.writeInteger(id.rawValue); buffer.writeInteger(v, endianness: .big) }
        }
        func string(_ id: PropertyID, _ v: String?) {
            if let v { buffer.writeInteger(id.rawValue); buffer.writeMQTTString(v) }
        }
        func binary(_ id: PropertyID, _ v: ByteBuffer?) {
            if let v { buffer.writeInteger(id.rawValue); buffer.writeMQTTBinary(v) }
        }
        byte(.payloadFormatIndicator, payloadFormatIndicator)
        u32(.messageExpiryInterval, messageExpiryInterval)
        string(.contentType, contentType)
        string(.responseTopic, responseTopic)
        binary(.correlationData, correlationData)
        for id in subscriptionIdentifiers {
            buffer.writeInteger(PropertyID.subscriptionIdentifier.rawValue)
            VariableByteInteger.write(id, to: &buffer)
        }
        u32(.sessionExpiryInterval, sessionExpiryInterval)
        string(.assignedClientIdentifier, assignedClientIdentifier)
        u16(.serverKeepAlive, serverKeepAlive)
        string(.authenticationMethod, authenticationMethod)
        binary(.authenticationData, authenticationData)
        byte(.requestProblemInformation, requestProblemInformation)
        u32(.willDelayInterval, willDelayInterval)
        byte(.requestResponseInformation, requestResponseInformation)
        string(.responseInformation, responseInformation)
        string(.serverReference, serverReference)
        string(.reasonString, reasonString)
        u16(.receiveMaximum, receiveMaximum)
        u16(.topicAliasMaximum, topicAliasMaximum)
        u16(.topicAlias, topicAlias)
        byte(.maximumQoS, maximumQoS)
        byte(.retainAvailable, retainAvailable)
        for property in userProperties {
            buffer.writeInteger(PropertyID.userProperty.rawValue)
            buffer.writeMQTTString(property.name)
            buffer.writeMQTTString(property.value)
        }
        u32(.maximumPacketSize, maximumPacketSize)
        byte(.wildcardSubscriptionAvailable, wildcardSubscriptionAvailable)
        byte(.subscriptionIdentifierAvailable, subscriptionIdentifierAvailable)
        byte(.sharedSubscriptionAvailable, sharedSubscriptionAvailable)
    }
}
