@testable import ConsoleUI
import Monitor
import Testing

/// The header on the terminal sizes people have: an 80-column one still says where the broker listens
/// and what Redis is doing, a wide one says it in full.
@Suite struct HeaderLineTests {
    /// What `make run` shows: the embedded engine with its private redis-server and a full sparkline.
    static var embedded: HeaderInfo {
        var header = HeaderInfo()
        header.mode = .embedded
        header.redisEndpoint = "unix:…/redis/redis.sock"
        header.redisMemory = "1.51M"
        header.listeners = ["mqtt://127.0.0.1:1883"]
        header.backendBuffer = 0
        header.messageRates = (0..<12).map { Double($0 * 100) }
        return header
    }

    static func line(_ header: HeaderInfo, width: Int) -> (left: String, right: String, width: Int) {
        let (left, right) = HeaderLine.fit(HeaderLine.leftSegments(header, paused: false, readOnly: false),
                                           rates: header.messageRates, width: width)
        return (left.map(\.text).joined(), right.map(\.text).joined(), left.width + (right.isEmpty ? 0 : right.width + 1))
    }

    @Test func eightyColumnsKeepTheBrokersPortsAndTheRedisState() {
        let line = Self.line(Self.embedded, width: 80)
        #expect(line.width <= 80)
        #expect(line.left == " mqtop  embedded · mqtt :1883 · redis (master, 1.51M)", "\(line.left)")
        #expect(line.right == Sparkline.render(Self.embedded.messageRates, width: 12) + " 1.1k msg/s ", "\(line.right)")
    }

    @Test func aWideTerminalShowsEverythingInFull() {
        var header = Self.embedded
        header.listeners.append("ws://127.0.0.1:8083/mqtt")
        let line = Self.line(header, width: 170)
        #expect(line.left == " mqtop  embedded · broker mqtt://127.0.0.1:1883, ws://127.0.0.1:8083/mqtt"
            + " · redis unix:…/redis/redis.sock (master, 1.51M) · backend buffer 0", "\(line.left)")
        #expect(line.right == Sparkline.render(header.messageRates, width: 12) + " 1.1k msg/s ", "\(line.right)")
        let ports = Self.line(header, width: 100)
        #expect(ports.left == " mqtop  embedded · mqtt :1883, ws :8083 · redis (master, 1.51M)", "\(ports.left)")
        #expect(ports.right == line.right)
    }

    /// Where the short forms are not enough, the listeners go before the sparkline does.
    @Test func narrowerStillTheRedisStateStays() {
        var header = Self.embedded
        header.listeners = ["mqtt://127.0.0.1:1883", "mqtts://0.0.0.0:8883"]
        let line = Self.line(header, width: 62)
        #expect(line.width <= 62)
        #expect(line.left == " mqtop  embedded · redis (master, 1.51M)", "\(line.left)")
        #expect(!line.right.isEmpty)
    }
}

/// A cluster's nodes in the header: each with its clients, a gone one marked, and a short count when narrow.
@Suite struct ClusterHeaderTests {
    @Test func nodesAreListedAndShortenedToACount() {
        var header = HeaderLineTests.embedded
        header.cluster = ClusterHeader(name: "fleet", nodes: [
            ClusterNodeRow(name: "n1", alive: true, clients: 12),
            ClusterNodeRow(name: "n2", alive: false, clients: 3),
        ])
        let wide = HeaderLineTests.line(header, width: 200)
        #expect(wide.left.contains("cluster fleet: n1 ● 12 n2 ○ gone"), "\(wide.left)")
        let narrow = HeaderLineTests.line(header, width: 100)
        #expect(narrow.left.contains("cluster fleet 1/2 nodes"), "\(narrow.left)")
        #expect(narrow.width <= 100)
    }
}
