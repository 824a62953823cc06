// The budgets are glibc's size classes and the metadata layout of a platform without Objective-C.
#if os(Linux)
@testable import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// What one idle connection holds of ours, object by object. BENCHMARKS.md §1 says where each byte of the
/// ~3 kB per idle connection goes; a field added to one of these objects moves it to a larger malloc size
/// class (glibc: 16-byte steps, 8 bytes of each its own) for every connection, and this test says which.
@Suite struct FootprintTests {
    /// The budgets are the instance sizes the runtime allocates, each the most that fits its size class.
    @Test func anIdleConnectionsObjectsStayInTheirSizeClasses() async throws {
        let fixture = try await BrokerFixture.start()
        // As long as a fleet's ids are: a heap string, not a small inline one.
        let client = try await fixture.client("sensor-0042-building-7-floor-3", version: .v3_1_1)
        let handle = try #require(fixture.broker.core.registry.lookup("sensor-0042-building-7-floor-3"))
        let sizes = try await handle.loop.submit { () -> [String: Int] in
            guard let session = handle.session, let connection = session.connection else { return [:] }
            let handler = try connection.channel.pipeline.syncOperations.handler(type: MQTTServerHandler.self)
            return ["Session": instanceSize(session), "SessionHandle": instanceSize(handle),
                    "ClientConnection": instanceSize(connection), "MQTTServerHandler": instanceSize(handler)]
        }.get()
        #expect(sizes["Session"].map { $0 <= 248 } == true, "Session: \(sizes)")
        #expect(sizes["SessionHandle"].map { $0 <= 88 } == true, "SessionHandle: \(sizes)")
        #expect(sizes["ClientConnection"].map { $0 <= 56 } == true, "ClientConnection: \(sizes)")
        #expect(sizes["MQTTServerHandler"].map { $0 <= 136 } == true, "MQTTServerHandler: \(sizes)")
        await client.disconnect()
        await fixture.stop()
    }

    /// The reader below agrees with a class whose size is known.
    @Test func theInstanceSizeReaderIsRight() {
        #expect(instanceSize(Probe()) == 16 + 8 + 1)
    }
}

private final class Probe {
    var word: Int64 = 0
    var flag = false
}

/// The size `swift_allocObject` asks malloc for: the `InstanceSize` field of the class's metadata (after
/// the kind and superclass words and two 32-bit fields, on platforms without Objective-C). malloc's own
/// `malloc_usable_size` would not do: it may hand out a larger free chunk than the size class.
private func instanceSize(_ object: AnyObject) -> Int {
    let metadata = unsafeBitCast(type(of: object), to: UnsafeRawPointer.self)
    return Int(metadata.load(fromByteOffset: 24, as: UInt32.self))
}
#endif
