import MQTTBroker
import NIOPosix
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

    @Test func eachLoopHasItsOwnLaneAndNoIdRepeats() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        // One pinned microsecond: only the lane and sequence bits tell the ids apart.
        let generator = MessageIDGenerator(node: "n", loops: loops) { 42 }
        var all: [String] = []
        for (index, loop) in loops.enumerated() {
            let ids = try await loop.submit { (0..<500).map { _ in generator.next(onLoop: index).description } }.get()
            #expect(ids == ids.sorted(), "lane \(index) in order")
            all += ids
        }
        all += (0..<500).map { _ in generator.next().description }
        #expect(Set(all).count == 1500)
        #expect(all.allSatisfy { $0.utf8.count == 22 })
        try await group.shutdownGracefully()
    }
}

import Synchronization

final class LockedCounter: Sendable {
    private let value: Mutex<UInt64>
    init(start: UInt64) { value = Mutex(start) }
    func next() -> UInt64 { value.withLock { $0 += 7; return $0 } }
}
