// swift-tools-version: 6.1
import PackageDescription

/// A product of one of our dependencies, by package name.
func dep(_ product: String, _ package: String) -> Target.Dependency {
    .product(name: product, package: package)
}

let nioCore = dep("NIOCore", "swift-nio")
let nioPosix = dep("NIOPosix", "swift-nio")
/// Tests only: channels and loops in virtual time.
let nioEmbedded = dep("NIOEmbedded", "swift-nio")
let nioSSL = dep("NIOSSL", "swift-nio-ssl")
let logging = dep("Logging", "swift-log")
let collections = dep("Collections", "swift-collections")
let lifecycle = dep("ServiceLifecycle", "swift-service-lifecycle")
let argumentParser = dep("ArgumentParser", "swift-argument-parser")

let package = Package(
    name: "mqtop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mqtop", targets: ["mqtop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Protocol layers: pure codecs, no sockets.
        .target(name: "MQTTCore", dependencies: [nioCore, dep("NIOWebSocket", "swift-nio")]),
        .target(name: "RESP", dependencies: [nioCore]),

        // Networking.
        .target(name: "MQTTBroker", dependencies: [
            "MQTTCore", nioCore, nioPosix, nioSSL, logging, collections,
            dep("NIOWebSocket", "swift-nio"), dep("NIOHTTP1", "swift-nio"),
        ]),
        .target(name: "MQTTClient", dependencies: [
            "MQTTCore", nioCore, nioPosix, nioSSL, logging, dep("NIOWebSocket", "swift-nio"), dep("NIOHTTP1", "swift-nio"),
        ]),
        .target(name: "RedisClient", dependencies: ["RESP", nioCore, nioPosix, nioSSL, logging, collections]),

        // The EMQX Redis layout (keys, fields, timestamps), shared by the writer and the reader.
        .target(name: "EMQXLayout"),

        // The EMQX-compatible storage backend, a hook consumer of the broker.
        .target(name: "RedisBackend", dependencies: [
            "MQTTBroker", "RedisClient", "EMQXLayout", logging, collections,
            dep("Crypto", "swift-crypto"), dep("_CryptoExtras", "swift-crypto"),
        ]),

        // Several nodes sharing a Redis, one broker: membership, route table, forwarding.
        .target(name: "MQTTCluster", dependencies: ["MQTTBroker", "MQTTCore", "RedisClient", "EMQXLayout", logging, nioCore]),

        // The console.
        .target(name: "Monitor", dependencies: ["RedisClient", "RESP", "EMQXLayout", nioCore, logging, collections]),
        .target(name: "ConsoleUI", dependencies: ["Monitor", "EMQXLayout"]),
        .systemLibrary(
            name: "CNCurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]
        ),
        .target(name: "Terminal", dependencies: ["ConsoleUI", "CNCurses"]),

        // Wiring.
        .executableTarget(name: "mqtop", dependencies: [
            "MQTTCore", "MQTTBroker", "MQTTClient", "RedisBackend", "MQTTCluster", "Monitor", "ConsoleUI", "Terminal", "ProcessSpawning",
            "EMQXLayout",
            argumentParser, lifecycle, logging, nioCore, nioPosix,
        ]),

        // Starting child processes that die with their parent (the private redis-server, test servers).
        .target(name: "CSpawn"),
        .target(name: "CCrashGuard"),
        .target(name: "ProcessSpawning", dependencies: ["CSpawn", "CCrashGuard"]),

        // libFuzzer checks of the decoders and the config parser, and their executables (`make fuzz`).
        .target(name: "Fuzzing", dependencies: ["MQTTCore", "RESP", "RedisBackend", nioCore]),
        .executableTarget(name: "FuzzMQTT", dependencies: ["Fuzzing"]),
        .executableTarget(name: "FuzzRESP", dependencies: ["Fuzzing"]),
        .executableTarget(name: "FuzzBackendConfig", dependencies: ["Fuzzing"]),

        // Test helpers: private redis-server, MQTT CLI clients, bounded waits.
        .target(name: "TestSupport", dependencies: ["ProcessSpawning", nioCore, nioPosix, logging]),

        .testTarget(name: "MQTTCoreTests", dependencies: ["MQTTCore", "TestSupport"]),
        .testTarget(name: "MQTTBrokerTests", dependencies: ["MQTTBroker", "MQTTClient", "TestSupport", nioEmbedded]),
        .testTarget(name: "RESPTests", dependencies: ["RESP", "TestSupport"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "TestSupport"]),
        .testTarget(name: "RedisBackendTests", dependencies: ["RedisBackend", "MQTTClient", "TestSupport"]),
        .testTarget(name: "MQTTClusterTests", dependencies: ["MQTTCluster", "MQTTBroker", "MQTTClient", "TestSupport"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "ConsoleUI", "EMQXLayout", "RedisClient", "TestSupport"]),
        .testTarget(name: "ConsoleUITests", dependencies: ["ConsoleUI", "Monitor", "EMQXLayout"]),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing"]),
        .testTarget(name: "EndToEndTests", dependencies: ["MQTTClient", "RedisClient", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
