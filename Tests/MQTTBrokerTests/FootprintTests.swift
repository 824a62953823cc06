@testable import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import Testing
import TestSupport

/// What one idle connection holds of ours, object by object, as the allocator sizes it. BENCHMARKS.md §1
/// says where each byte of the ~3 kB per idle connection goes; a field added to one of these objects moves
/// it to a larger size class for every connection, and this test says which.
@Suite struct FootprintTests {
    /// The budgets are malloc's usable sizes (glibc chunks of 16 bytes, 8 of them its own).
    @Test func anIdleConnectionsObjectsStayInTheirSizeClasses() async throws {
        let fixture = try await BrokerFixture.start()
        // As long as a fleet's ids are: a heap string, not a small inline one.
        let client = try await fixture.client("sensor-0042-building-7-floor-3", version: .v3_1_1)
        let handle = try #require(fixture.broker.core.registry.lookup("sensor-0042-building-7-floor-3"))
        let sizes = try await handle.loop.submit { () -> [String: Int] in
            guard let session = handle.session, let connection = session.connection else { return [:] }
            let handler = try connection.channel.pipeline.syncOperations.handler(type: MQTTServerHandler.self)
            return ["Session": usableSize(session), "SessionHandle": usableSize(handle),
                    "ClientConnection": usableSize(connection), "MQTTServerHandler": usableSize(handler)]
        }.get()
        #expect(sizes["Session"].map { $0 <= 248 } == true, "Session: \(sizes)")
        #expect(sizes["SessionHandle"].map { $0 <= 88 } == true, "SessionHandle: \(sizes)")
        #expect(sizes["ClientConnection"].map { $0 <= 56 } == true, "ClientConnection: \(sizes)")
        #expect(sizes["MQTTServerHandler"].map { $0 <= 136 } == true, "MQTTServerHandler: \(sizes)")
        try await client.disconnect()
        await fixture.stop()
    }

    private func usableSize(_ object: AnyObject) -> Int {
        mallocUsableSize(Unmanaged.passUnretained(object).toOpaque())
    }
}

/// glibc's `malloc_usable_size` (in `<malloc.h>`, which the Glibc module does not export).
@_silgen_name("malloc_usable_size")
private func mallocUsableSize(_ pointer: UnsafeMutableRawPointer) -> Int
