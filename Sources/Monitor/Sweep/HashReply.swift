import NIOCore
import RESP

/// Reading replies of the layout: hashes (RESP2 flat arrays or RESP3 maps) and numbers.
enum HashReply {
    static func fields(_ value: RESPValue?) -> [String: ByteBuffer] {
        value?.hashFields ?? [:]
    }

    static func string(_ fields: [String: ByteBuffer], _ name: String) -> String? {
        fields[name].map { String(buffer: $0) }
    }
}
