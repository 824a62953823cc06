import ArgumentParser
import Logging
import MQTTBroker

/// The broker flags, shared by every mode that runs the embedded broker.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Listen address (repeat for several): host:port or mqtt://, mqtts://, ws://, wss:// host:port (WebSocket at /mqtt).",
        valueName: "addr"))
    var listen: [String] = ["127.0.0.1:1883"]

    @Option(name: .long, help: ArgumentHelp("PEM certificate (chain) for mqtts:// and wss:// listeners.", valueName: "file"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key for mqtts:// and wss:// listeners.", valueName: "file"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("PEM CA that client certificates are checked against.", valueName: "file"))
    var ca: String?

    @Flag(name: .customLong("require-client-cert"), help: "Refuse TLS clients without a certificate signed by --ca.")
    var requireClientCert = false

    @Option(name: .long, help: "This node's name, as stored in mqtt:node:<node>.")
    var node: String = "mqtop@\(ProcessInfoHost.name)"

    @Option(name: .customLong("max-connections"), help: "Connections beyond this are refused (CONNACK 0x89).")
    var maxConnections: Int = 100_000

    @Option(name: .customLong("max-packet-size"), help: "Largest packet accepted from a client, in bytes.")
    var maxPacketSize: Int = 1 << 20

    @Option(name: .customLong("max-inflight"), help: "Outgoing QoS 1/2 messages in flight per client.")
    var maxInflight: Int = 256

    @Option(name: .customLong("receive-maximum"), help: "QoS 2 publishes a client may leave unreleased (5.0 Receive Maximum).")
    var receiveMaximum: UInt16 = 1024

    @Option(name: .customLong("max-queued"), help: "Messages queued per session beyond the inflight window.")
    var maxQueued: Int = 10_000

    @Option(name: .customLong("flow-control"), help: "Queued messages at which a subscriber holds back its publishers' QoS 1/2 acknowledgements until it drains (0: off).")
    var flowControl: Int = 1000

    @Option(name: .customLong("max-publish-rate"), help: "PUBLISH packets per second per client; beyond, the client is slowed down (not dropped).")
    var maxPublishRate: Int?

    @Option(name: .customLong("max-keepalive"), help: "Caps client keepalive (seconds), announced as Server Keep Alive.")
    var maxKeepAlive: UInt16?

    @Option(name: .customLong("sys-interval"), help: "Seconds between $SYS updates (0 turns $SYS off).")
    var sysInterval: Int = 10

    @Option(name: .long, help: "Event loop threads (default: one per core; one on a machine of 2 cores or fewer).")
    var threads: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func brokerConfiguration() throws -> BrokerConfiguration {
        var configuration = BrokerConfiguration()
        configuration.listeners = try listen.map { text in
            guard let listener = ListenerConfiguration(parsing: text) else {
                throw ValidationError("--listen \(text): expected host:port, e.g. 127.0.0.1:1883")
            }
            return listener
        }
        if configuration.listeners.contains(where: { $0.transport.needsTLS }) {
            guard let cert, let key else {
                throw ValidationError("mqtts:// and wss:// listeners need --cert and --key")
            }
            if requireClientCert && ca == nil { throw ValidationError("--require-client-cert needs --ca") }
            configuration.tls = TLSFiles(certificate: cert, privateKey: key, certificateAuthority: ca,
                                         requireClientCertificate: requireClientCert)
        }
        configuration.nodeName = node
        configuration.maxConnections = maxConnections
        guard maxPacketSize >= 16 && maxPacketSize <= 268_435_460 else {
            throw ValidationError("--max-packet-size must be between 16 and 268435460")
        }
        configuration.maxPacketSize = maxPacketSize
        guard maxInflight >= 1 && maxInflight <= 65_535 else {
            throw ValidationError("--max-inflight must be between 1 and 65535")
        }
        configuration.maxInflight = maxInflight
        guard receiveMaximum >= 1 else { throw ValidationError("--receive-maximum must be at least 1") }
        configuration.receiveMaximum = receiveMaximum
        configuration.maxQueuedPerSession = maxQueued
        guard flowControl >= 0 else { throw ValidationError("--flow-control must be 0 (off) or more") }
        configuration.flowControlThreshold = flowControl
        if let maxPublishRate, maxPublishRate < 1 { throw ValidationError("--max-publish-rate must be at least 1") }
        configuration.maxPublishRate = maxPublishRate
        configuration.maxKeepAlive = maxKeepAlive
        configuration.sysInterval = sysInterval > 0 ? .seconds(Int64(sysInterval)) : nil
        if let threads {
            guard (1...BrokerConfiguration.maximumThreads).contains(threads) else {
                throw ValidationError("--threads must be between 1 and \(BrokerConfiguration.maximumThreads)")
            }
            configuration.threads = threads
        }
        return configuration
    }

    func parsedLogLevel() throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel): expected one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}

import Foundation

enum ProcessInfoHost {
    static var name: String { ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost" }
}
