import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports and paths for private servers.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago: bind port 0, read what the kernel chose, close.
    /// Another process may take it before the caller binds; fixtures retry on "address in use".
    public static func next() throws -> Int {
        let (fd, port) = try bindAny()
        close(fd)
        return port
    }

    /// Binds 127.0.0.1:0 without listening: the socket and the port it holds.
    static func bindAny() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXFailure("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw POSIXFailure("bind", code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(fd)
            throw POSIXFailure("getsockname", code)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// A port where nothing listens and nobody else can bind, until `release()`: a connect to it is refused,
/// as to a server that is down.
public final class RefusingPort: Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        (fd, port) = try FreePort.bindAny()
    }

    /// Frees the port for the server that is to come up on it.
    public func release() { close(fd) }
}

public struct POSIXFailure: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public init(_ call: String, _ code: Int32) {
        self.call = call
        self.code = code
    }
    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "mqtop-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
    }

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension FreePort {
    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    public static func waitUntilListening(_ port: Int, timeout: Duration = .seconds(20)) async throws {
        try await waitUntil("a listener on 127.0.0.1:\(port)", timeout: timeout, poll: .milliseconds(50)) {
            accepts(port)
        }
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
