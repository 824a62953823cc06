import ArgumentParser
import EMQXLayout
import Monitor

/// `attach`'s flags for what the keys mean: EMQX 4's `emqx_backend_redis` layout, or the EMQX 5/6
/// offline-message plugin's (with the plugin's own prefix and TTL settings).
struct LayoutOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "auto (decide from the keys), emqx4 (EMQX 3/4 backend), omp (EMQX 5/6 offline-message plugin; its generation from the keys), omp5 or omp6.",
        valueName: "layout"))
    var layout: String = "auto"

    @Option(name: .customLong("sub-prefix"), help: ArgumentHelp(
        "The plugin's subscription_key_prefix.", valueName: "prefix"))
    var subscriptionPrefix: String = OfflineMessageLayout.defaultSubscriptionPrefix

    @Option(name: .customLong("msg-prefix"), help: ArgumentHelp("The plugin's message_key_prefix.", valueName: "prefix"))
    var messagePrefix: String = OfflineMessageLayout.defaultMessagePrefix

    @Option(name: .customLong("message-ttl"), help: ArgumentHelp(
        "The plugin's message_ttl in seconds (6.x expiry; inferred from the keys when not given, else 7200).",
        valueName: "seconds"))
    var messageTTL: Int?

    func validate() throws {
        if let messageTTL, messageTTL <= 0 { throw ValidationError("--message-ttl \(messageTTL): expected seconds above 0") }
        for (flag, prefix) in [("--sub-prefix", subscriptionPrefix), ("--msg-prefix", messagePrefix)]
        where prefix.isEmpty || prefix.contains(where: { "*?[]".contains($0) }) {
            throw ValidationError("\(flag) '\(prefix)': expected a key prefix without glob characters")
        }
        _ = try choice()
    }

    /// The monitor's layout choice.
    func choice() throws -> LayoutChoice {
        func omp(_ score: OfflineMessageLayout.Score) -> OfflineMessageLayout {
            OfflineMessageLayout(score: score, subscriptionPrefix: subscriptionPrefix, messagePrefix: messagePrefix,
                                 messageTTL: messageTTL ?? OfflineMessageLayout.defaultMessageTTL)
        }
        switch layout {
        case "auto": return .auto(omp: omp(.publishTime), ttlGiven: messageTTL != nil)
        case "emqx4": return .fixed(.emqx4)
        case "omp": return .auto(omp: omp(.publishTime), ttlGiven: messageTTL != nil, ompOnly: true)
        case "omp5": return .fixed(.omp(omp(.expiry)))
        case "omp6": return .fixed(.omp(omp(.publishTime)))
        default: throw ValidationError("--layout \(layout): expected auto, emqx4, omp, omp5 or omp6")
        }
    }
}
