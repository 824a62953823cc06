import NIOCore
import Synchronization

/// A message's identity in storage: the `msgid` of `mqtt:msg:<msgid>` and the acked cursors.
///
/// Ours are 128 bits (64-bit microsecond timestamp, 48-bit node hash, 16-bit sequence) written as 22
/// fixed-width base62 characters over `0-9A-Za-z`. That alphabet is in ASCII order and the width is fixed,
/// so byte-wise string order is publish order (Redis orders zset members of equal score that way).
/// Ids read back from Redis that some other broker wrote are kept verbatim.
public struct MessageID: Sendable, Hashable, Comparable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        case generated(high: UInt64, low: UInt64)
        case external(String)
    }

    let storage: Storage

    init(high: UInt64, low: UInt64) {
        storage = .generated(high: high, low: low)
    }

    /// An id as stored by whichever broker wrote it.
    public init(_ text: String) {
        storage = .external(text)
    }

    /// The microsecond timestamp of an id we generated (nil for foreign ids).
    public var microseconds: UInt64? {
        if case .generated(let high, _) = storage { return high }
        return nil
    }

    public static let base62Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    public static let textWidth = 22

    public var description: String {
        switch storage {
        case .external(let text):
            return text
        case .generated(var high, var low):
            // Written into the string's own storage: one allocation per id (this runs per stored message).
            return String(unsafeUninitializedCapacity: Self.textWidth) { digits in
                digits.initialize(repeating: UInt8(ascii: "0"))
                var index = Self.textWidth - 1
                while (high != 0 || low != 0) && index >= 0 {
                    // Divide the 128-bit value by 62, most significant half first.
                    let (quotientHigh, remainderHigh) = high.quotientAndRemainder(dividingBy: 62)
                    let (quotientLow, remainder) = (62 as UInt64).dividingFullWidth((remainderHigh, low))
                    high = quotientHigh
                    low = quotientLow
                    digits[index] = Self.base62Alphabet[Int(remainder)]
                    index -= 1
                }
                return Self.textWidth
            }
        }
    }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.generated(let lh, let ll), .generated(let rh, let rl)):
            return (lh, ll) < (rh, rl)
        default:
            return lhs.description < rhs.description
        }
    }
}

/// Hands out message ids for one broker node: unique per node, ordered by time.
///
/// Each event loop draws from its own lane, without a lock (the publish path); callers off the loops
/// (the backend, `$SYS`, the console) share one lane behind a lock. An id is the time in microseconds
/// (high half) and node hash (40 bits), lane (8 bits) and a sequence within the microsecond (16 bits), so
/// ids from different lanes never collide and each lane's ids sort in the order they were made.
public final class MessageIDGenerator: Sendable {
    private let nodeBits: UInt64
    private let now: @Sendable () -> UInt64
    private let lanes: [NIOLoopBoundBox<IDLane>]
    private let shared = Mutex(IDLane())
    /// The lane number of the shared lane.
    static let sharedLane: UInt64 = 0xFF

    /// - Parameters:
    ///   - loops: the event loops that get a lane each (up to 255), in the broker's loop order.
    ///   - now: the clock in microseconds since 1970; injected so tests can pin it.
    public init(node: String, loops: [EventLoop] = [],
                now: @escaping @Sendable () -> UInt64 = MessageIDGenerator.wallClockMicros) {
        // FNV-1a over the node name, folded to 40 bits.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in node.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        nodeBits = (hash & 0xFF_FFFF_FFFF) << 24
        self.now = now
        lanes = loops.prefix(Int(Self.sharedLane)).map { .makeBoxSendingValue(IDLane(), as: IDLane.self, eventLoop: $0) }
    }

    /// An id from the shared lane, from any thread.
    public func next() -> MessageID {
        let clock = now()
        let (micros, sequence) = shared.withLock { $0.advance(to: clock) }
        return MessageID(high: micros, low: nodeBits | Self.sharedLane << 16 | sequence)
    }

    /// An id from loop `index`'s lane; must run on that loop. Loops without a lane use the shared one.
    public func next(onLoop index: Int) -> MessageID {
        guard index >= 0, index < lanes.count else { return next() }
        let clock = now()
        let (micros, sequence) = lanes[index].value.advance(to: clock)
        return MessageID(high: micros, low: nodeBits | UInt64(index) << 16 | sequence)
    }

    @Sendable public static func wallClockMicros() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// One lane's clock: the last microsecond used and the sequence within it.
struct IDLane {
    var lastMicros: UInt64 = 0
    var sequence: UInt64 = 0

    /// Never goes backwards: a clock step back reuses the last microsecond with a higher sequence, and
    /// a sequence past 16 bits moves on to the next microsecond.
    mutating func advance(to clock: UInt64) -> (micros: UInt64, sequence: UInt64) {
        if clock > lastMicros {
            (lastMicros, sequence) = (clock, 0)
        } else {
            sequence += 1
            if sequence > 0xFFFF { (lastMicros, sequence) = (lastMicros + 1, 0) }
        }
        return (lastMicros, sequence)
    }
}
