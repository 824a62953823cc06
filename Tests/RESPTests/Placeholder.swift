import Testing
import TestSupport

@Test func privateRedisServerAnswers() async throws {
    let server = try await RedisServer.start()
    defer { Task { await server.stopAndRemove() } }
    try await server.cli("SET", "k", "v")
    #expect(try await server.cli("GET", "k") == "v")
    await server.stop()
    #expect(!server.isRunning)
}
