import Dispatch
import Foundation
import MQTTBroker
import MQTTCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// When the broker ends a connection with a reason it sends DISCONNECT, then keeps reading and discarding
/// for a bounded time, so a client still writing is not reset before it reads why.
@Suite struct LingeringCloseTests {
    @Test func aClientStillSendingReadsTheReceiveMaximumDisconnect() async throws {
        let fixture = try await BrokerFixture.start { $0.receiveMaximum = 2 }
        let port = fixture.port
        let outcome = try await onThread {
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            // CONNECT, MQTT 5.0, clean start, keepalive 60, no properties, client id "linger".
            try socket.write([0x10, 19, 0, 4, 0x4D, 0x51, 0x54, 0x54, 5, 0x02, 0, 60, 0, 0, 6]
                             + Array("linger".utf8))
            _ = try socket.read(until: { $0.count >= 4 }, timeout: .seconds(5))
            // Three QoS 2 PUBLISHes without PUBREL: one past the broker's Receive Maximum of 2.
            for id: UInt8 in 1...3 { try socket.write([0x34, 7, 0, 1, 0x61, 0, id, 0, 0x78]) }
            // Then keep sending PUBRELs for a while without reading, as a busy client does.
            var writesFailed = 0
            let until = DispatchTime.now().uptimeNanoseconds + 300_000_000
            var id: UInt8 = 1
            while DispatchTime.now().uptimeNanoseconds < until {
                if (try? socket.write([0x62, 0x02, 0x00, id])) == nil { writesFailed += 1 }
                id = id == 255 ? 1 : id + 1
                usleep(1000)
            }
            let received = try socket.readWithEnd(until: { _ in false }, timeout: .seconds(10))
            return (writesFailed, received.bytes, received.closed)
        }
        #expect(outcome.0 == 0, "writes failed: the broker reset the connection while the client was writing")
        #expect(Self.containsDisconnect(outcome.1, reason: 0x93), "no DISCONNECT 0x93 in \(outcome.1)")
        #expect(outcome.2, "the broker kept the connection open past its lingering bound")
        await fixture.stop()
    }

    /// Whether `bytes` hold a DISCONNECT packet with `reason`.
    static func containsDisconnect(_ bytes: [UInt8], reason: UInt8) -> Bool {
        var index = 0
        while index + 1 < bytes.count {
            let type = bytes[index]
            let length = Int(bytes[index + 1])
            if type == 0xE0, length >= 1, index + 2 < bytes.count { return bytes[index + 2] == reason }
            index += 2 + length
        }
        return false
    }

    /// Runs blocking socket code off the cooperative pool.
    func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A blocking TCP socket with nothing between the test and the bytes, for tests of what a peer that does
/// not behave sees.
struct RawSocket: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(call: "connect", code: code)
        }
    }

    /// Writes everything; throws on a reset or broken pipe (never raises SIGPIPE).
    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw Failure(call: "send", code: errno) }
            sent += result
        }
    }

    /// Reads until `done` holds for what was read, the peer closes, or `timeout` passes; throws on a reset.
    func read(until done: ([UInt8]) -> Bool, timeout: Duration) throws -> [UInt8] {
        try readWithEnd(until: done, timeout: timeout).bytes
    }

    /// As `read`, and whether the peer closed.
    func readWithEnd(until done: ([UInt8]) -> Bool, timeout: Duration) throws -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !done(received), ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
            if count == 0 { return (received, true) }
            guard count > 0 else { throw Failure(call: "recv", code: errno) }
            received += buffer[0..<count]
        }
        return (received, false)
    }

    func close() { Glibc.close(fd) }
}
