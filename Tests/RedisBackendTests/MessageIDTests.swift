import MQTTBroker
import Testing

/// Message ids are 22 fixed-width base62 characters whose byte order is publish order.
struct MessageIDTests {
    @Test func fixedWidthAndTimeOrdered() {
        let clock = LockedCounter(start: 1_700_000_000_000_000)
        let generator = MessageIDGenerator(node: "mqtop@test") { clock.next() }
        let ids = (0..<1000).map { _ in generator.next().description }
        #expect(ids.allSatisfy { $0.utf8.count == 22 })
        #expect(ids.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber } })
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test func sameMicrosecondStillOrdered() {
        let generator = MessageIDGenerator(node: "n") { 42 }
        let ids = (0..<100).map { _ in generator.next().description }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 100)
    }
}

import Synchronization

final class LockedCounter: Sendable {
    private let value: Mutex<UInt64>
    init(start: UInt64) { value = Mutex(start) }
    func next() -> UInt64 { value.withLock { $0 += 7; return $0 } }
}
