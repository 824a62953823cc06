extension RESPParser {
    /// Bounds that keep a broken or hostile peer from exhausting memory.
    public struct Limits: Sendable, Hashable {
        /// Redis's own `proto-max-bulk-len` default is 512 MB.
        public var maxBulkLength: Int = 512 * 1024 * 1024
        /// Replies of real commands nest a few levels (`COMMAND DOCS`: about six).
        public var maxDepth: Int = 256
        /// The longest header or simple line, however its bytes arrive (whole, or still waiting for CRLF).
        public var maxLineLength: Int = 64 * 1024 * 1024

        public init() {}
    }
}
