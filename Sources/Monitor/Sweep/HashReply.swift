import NIOCore
import RESP

/// Reading replies of the layout: hashes (RESP2 flat arrays or RESP3 maps) and numbers.
enum HashReply {
    static func fields(_ value: RESPValue?) -> [String: ByteBuffer] {
        guard let value else { return [:] }
        var fields: [String: ByteBuffer] = [:]
        if let map = value.map {
            for entry in map.entries {
                if let name = entry.key.string, let bytes = entry.value.bytes { fields[name] = bytes }
            }
        } else if let array = value.array {
            var index = 0
            while index + 1 < array.count {
                if let name = array[index].string, let bytes = array[index + 1].bytes { fields[name] = bytes }
                index += 2
            }
        }
        return fields
    }

    static func string(_ fields: [String: ByteBuffer], _ name: String) -> String? {
        fields[name].map { String(buffer: $0) }
    }
}
