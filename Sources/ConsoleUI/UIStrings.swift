import Monitor

/// Every string the console shows, in one place (gitui's habit): pane titles, column headings, key hints,
/// help, confirm texts and messages. Keeping them together makes wording consistent and a later
/// translation a one-file job.
public enum UIStrings {
    public static let appName = "mqtop"

    // MARK: - Panes and columns

    public static func paneName(_ pane: PaneKind) -> String {
        switch pane {
        case .clients: return "Clients"
        case .subscriptions: return "Subscriptions"
        case .retained: return "Retained"
        case .queues: return "Queues"
        case .topics: return "Topics"
        }
    }

    public static let eventsTitle = "Events"
    public static func clientCounts(online: Int, total: Int) -> String { "online \(online) / total \(total)" }
    /// The layout keeps no client state: clients are known only from their subscriptions.
    public static func unknownClientCounts(known: Int) -> String { "online ? · known \(known)" }
    /// A pane whose first sweep is still running: how far, and that its count is not final.
    public static func scanning(_ fraction: Double) -> String {
        "scanning \(min(99, max(0, Int(fraction * 100))))% · partial"
    }
    public static func queueCounts(topics: Int, messages: Int) -> String {
        "\(topics) \(topics == 1 ? "topic" : "topics") · \(messages) \(messages == 1 ? "msg" : "msgs")"
    }
    public static func filterInTitle(_ filter: String, shown: Int, total: Int) -> String {
        "/\(filter) (\(shown) of \(total))"
    }

    public static let columnClientID = "CLIENT ID"
    public static let columnState = "STATE"
    public static let columnNode = "NODE"
    public static let columnSince = "SINCE"
    public static let columnAddress = "ADDRESS"
    public static let columnProtocol = "PROTO"
    public static let columnKeepAlive = "KEEPALIVE"
    public static let columnInflight = "INFLIGHT"
    public static let columnQueued = "QUEUED"
    public static let columnFilter = "FILTER"
    public static let columnQoS = "QOS"
    public static let columnSource = "SOURCE"
    public static let columnTopic = "TOPIC"
    public static let columnFrom = "FROM"
    public static let columnAge = "AGE"
    public static let columnPayload = "PAYLOAD"
    public static let columnDepth = "DEPTH"
    public static let columnOldest = "OLDEST"
    public static let columnBacklog = "BACKLOG"
    public static let columnMessages = "MSGS"
    public static let columnRate = "RATE"
    public static let columnBytes = "BYTES"
    public static let columnLast = "LAST"
    public static let columnRetainFlag = "R"

    public static func source(_ source: SubscriptionRow.Source) -> String {
        switch source {
        case .stored: return "stored"
        case .live: return "live"
        case .both: return "both"
        }
    }

    public static func eventKind(_ kind: EventRow.Kind) -> String {
        switch kind {
        case .connect: return "connect"
        case .disconnect: return "disconnect"
        case .subscribe: return "subscribe"
        case .unsubscribe: return "unsubscribe"
        case .error: return "error"
        case .info: return "info"
        }
    }

    public static let online = "● online"
    public static let offline = "○ offline"
    public static let unknownPresence = "? unknown"
    public static func presence(_ presence: ClientRow.Presence) -> String {
        switch presence {
        case .online: return online
        case .offline: return offline
        case .unknown: return unknownPresence
        }
    }
    public static func ago(_ age: String) -> String { "\(age) ago" }
    public static func backlogEntry(clientID: String, pending: Int) -> String { "\(clientID) \(pending)" }

    public static let emptyClients = "no clients"
    public static let emptySubscriptions = "no subscriptions"
    public static let emptyRetained = "no retained messages"
    public static let emptyQueues = "no stored messages"
    public static let notKept = "not kept by this layout"
    /// What a pane says when the layout it reads keeps nothing of the kind.
    public static func notInLayout(_ pane: PaneKind, layout: String) -> String {
        switch pane {
        case .retained: return "\(layout) stores no retained messages in Redis"
        default: return "\(layout) stores nothing for this pane in Redis"
        }
    }
    public static let emptyEvents = "no events yet"
    public static let emptyTopics = "no messages yet: publish something (mosquitto_pub -t demo -m hi)"
    public static let trafficTapOff = "started with --no-traffic: the broker runs without the Topics tap"
    public static let noTrafficSource = "attach mode sees Redis only: add --mqtt mqtt://HOST:1883 to see the traffic"
    public static func noMatch(_ filter: String) -> String { "nothing matches /\(filter)" }

    // MARK: - Header

    public static func mode(_ mode: HeaderInfo.Mode) -> String {
        switch mode {
        case .embedded: return "embedded"
        case .attach: return "attach"
        case .demo: return "demo"
        }
    }
    public static func broker(_ listeners: [String]) -> String { "broker " + listeners.joined(separator: ", ") }
    public static func cluster(_ name: String) -> String { "cluster \(name):" }
    /// `n1 ● 12` alive with its clients, `n3 ○ gone` when its heartbeat ran out.
    public static func clusterNode(_ node: ClusterNodeRow) -> String {
        node.alive ? "\(node.name) ● \(node.clients)" : "\(node.name) ○ gone"
    }
    public static func clusterShort(_ name: String, alive: Int, of total: Int) -> String {
        "cluster \(name) \(alive)/\(total) nodes"
    }
    /// The listeners' short form for a narrow header: `mqtt :1883`, one scheme and port per listener.
    public static func brokerPorts(_ listeners: [String]) -> String {
        listeners.map { listener in
            guard let separator = listener.firstRange(of: "://") else { return listener }
            let port = listener[separator.upperBound...].split(separator: ":").last?.prefix { $0.isNumber } ?? ""
            return "\(listener[..<separator.lowerBound]) :\(port)"
        }.joined(separator: ", ")
    }
    public static func redis(_ endpoint: String) -> String { "redis " + endpoint }
    public static func redisConnected(role: String, memory: String?) -> String {
        "(" + ([role] + (memory.map { [$0] } ?? [])).joined(separator: ", ") + ")"
    }
    public static func redisReconnecting(_ error: String) -> String { "(reconnecting: \(error))" }
    public static func redisDown(_ error: String) -> String { "(down: \(error))" }
    public static func backendBuffer(_ count: Int, dropped: Int?) -> String {
        "backend buffer \(count)" + ((dropped ?? 0) > 0 ? " (\(dropped ?? 0) dropped)" : "")
    }
    /// `layout omp 6.x (auto)`: how the keys are read and why.
    public static func layout(_ report: LayoutReport) -> String {
        let basis: String
        switch report.basis {
        case .flag: basis = "--layout"
        case .detected: basis = "auto"
        case .provisional: basis = "auto: no keys yet"
        }
        return "layout \(report.layout.name) (\(basis))"
    }
    /// Keys of the other layout found beside the chosen one.
    public static func mixedLayout(_ foreign: String) -> String { "mixed: \(foreign) not shown" }
    public static let separator = " · "
    public static let paused = "PAUSED"
    public static let readOnly = "read-only"
    public static func rate(_ compact: String) -> String { "\(compact) msg/s" }
    public static let noBrokerFigures = "no broker figures: attach with --mqtt to read $SYS"
    public static let figureNode = "node"
    public static let figureUptime = "up"
    public static let figureConnections = "connections"
    public static let figureIn = "in"
    public static let figureOut = "out"
    public static let figureBytesIn = "bytes in"
    public static let figureBytesOut = "out"
    public static let figureSubscriptions = "subscriptions"
    public static let figureRetained = "retained"
    public static let figureDropped = "dropped"

    // MARK: - Footer and prompts

    /// Key hints in display order; lower `priority` numbers survive longer on narrow terminals.
    public static let hintHelp = KeyHint(key: "?", label: "help", priority: 0)
    public static let hintPane = KeyHint(key: "Tab", label: "pane", priority: 2)
    public static let hintFilter = KeyHint(key: "/", label: "filter", priority: 3)
    public static let hintDetail = KeyHint(key: "Enter", label: "detail", priority: 5)
    public static let hintSubscribe = KeyHint(key: "s", label: "subscribe", priority: 4)
    public static let hintUnsubscribe = KeyHint(key: "u", label: "unsubscribe", priority: 4)
    public static let hintDeleteRetained = KeyHint(key: "d", label: "delete retained", priority: 4)
    public static let hintTheme = KeyHint(key: "t", label: "theme", priority: 7)
    public static let hintPause = KeyHint(key: "p", label: "pause", priority: 6)
    public static let hintResume = KeyHint(key: "p", label: "resume", priority: 1)
    public static let hintQuit = KeyHint(key: "q", label: "quit", priority: 0)
    public static let hintBack = KeyHint(key: "Esc", label: "back", priority: 0)
    public static let hintScroll = KeyHint(key: "↑↓", label: "scroll", priority: 2)
    public static let hintPayloadView = KeyHint(key: "v", label: "text/json/hex", priority: 1)
    public static let hintClearFilter = KeyHint(key: "Esc", label: "clear filter", priority: 1)
    public static let hintHideOffline = KeyHint(key: "o", label: "hide offline", priority: 6)
    public static let hintShowOffline = KeyHint(key: "o", label: "show offline", priority: 1)
    public static let hintPublish = KeyHint(key: "P", label: "publish", priority: 4)
    public static let hintKick = KeyHint(key: "k", label: "kick", priority: 5)
    public static let hintSort = KeyHint(key: "S", label: "sort", priority: 4)
    public static let hintTree = KeyHint(key: "T", label: "tree", priority: 4)
    public static let hintList = KeyHint(key: "T", label: "list", priority: 4)
    public static func sortHint(_ next: TopicOrder) -> String { "sort by " + next.rawValue }

    public static let filterPrompt = "/"
    public static let filterHelp = "Enter keep · Esc clear · text or MQTT filter (+ #)"
    public static let filterHelpPlain = "Enter keep · Esc clear"
    public static func confirm(_ commands: [String]) -> String {
        "will write: " + commands.joined(separator: " / ") + " — y/n"
    }

    // MARK: - Messages

    public static func readOnlyRefusal(_ what: String) -> String { "read-only: \(what) is disabled (--readonly)" }
    public static let whatSubscribe = "subscribe"
    public static let whatUnsubscribe = "unsubscribe"
    public static let whatDelete = "delete retained"
    public static let whatPublish = "publish"
    public static let whatKick = "kick"
    /// The refusal's name for a writing command.
    public static func what(_ command: KeyMap.Command) -> String {
        switch command {
        case .subscribe: return whatSubscribe
        case .unsubscribe: return whatUnsubscribe
        case .deleteRetained: return whatDelete
        case .publish: return whatPublish
        case .kick: return whatKick
        default: return "this key"
        }
    }
    public static let needOnlineClient = "select an online client in pane 1 to kick it"
    public static let kickUnavailable = "kick works on the embedded broker only: attach mode does not own the connections"
    public static let publishUnavailable = "nothing to publish through: start attach with --mqtt mqtt://HOST:1883"
    public static func confirmPublish(topic: String, payload: String, qos: Int, retain: Bool) -> String {
        "will publish: topic " + topic + " qos \(qos)" + (retain ? " retain" : "") + " payload "
            + (payload.isEmpty ? "(empty)" : "'" + payload + "'") + " — y/n"
    }
    public static func confirmKick(_ clientID: String) -> String {
        "will disconnect " + clientID + " (DISCONNECT 0x98 administrative action to a 5.0 client, a close for 3.1.1) — y/n"
    }
    public static func published(topic: String, qos: Int, retain: Bool) -> String {
        "published to " + topic + " (qos \(qos)" + (retain ? ", retain" : "") + ")"
    }
    public static func kicked(_ clientID: String) -> String { "disconnected " + clientID }
    public static func kickEvent(_ clientID: String) -> String { "kicked " + clientID + " from the console (0x98)" }
    public static func sortedBy(_ order: TopicOrder) -> String { "topics sorted by " + order.rawValue }
    public static func sortedByShort(_ order: TopicOrder) -> String { "by " + order.rawValue }
    public static let treeView = "tree"
    public static func evicted(_ count: Int) -> String { "\(count) idle evicted" }
    public static func messageTotal(_ count: Int) -> String { "\(count) \(count == 1 ? "msg" : "msgs")" }
    public static let needSubscription = "select a subscription in pane 2 to unsubscribe"
    public static let needRetained = "select a retained message in pane 3 to delete it"
    public static let nothingSelected = "nothing selected"
    public static let cancelled = "cancelled: nothing written"
    public static func sent(_ commands: [String]) -> String { "sent: " + commands.joined(separator: " / ") }
    /// For the caller after `.nextTheme` / `--theme`, via `DashboardState.showStatus`.
    public static func themeSwitched(_ name: String) -> String { "theme: \(name)" }
    public static func themeFailed(_ error: String) -> String { "theme not loaded, using default: \(error)" }
    /// For the caller when performing an action failed.
    public static func actionFailed(_ error: String) -> String { "failed: \(error)" }
    public static let pausedMessage = "paused: new snapshots are held (p resumes)"
    public static let offlineHiddenMessage = "offline clients hidden (o shows them)"
    public static let offlineShownMessage = "offline clients shown"
    public static let offlineHidden = "offline hidden"
    public static let resumedMessage = "resumed"

    // MARK: - Form

    public static let formTitle = "Subscribe"
    public static func formLabel(_ field: SubscribeForm.Field) -> String {
        switch field {
        case .clientID: return "Client ID"
        case .filter: return "Filter"
        case .qos: return "QoS"
        }
    }
    public static let formHint = "Tab next field · Enter submit · Esc cancel"
    public static let errorClientIDEmpty = "client id must not be empty"
    public static let errorFilterInvalid = "not a valid MQTT topic filter"
    public static let errorQoS = "QoS must be 0, 1 or 2"
    public static let errorTopicInvalid = "a topic to publish to: not empty, no + or #"
    public static let errorRetain = "retain is yes or no"
    public static let publishFormTitle = "Publish"
    public static func publishFormLabel(_ field: PublishForm.Field) -> String {
        switch field {
        case .topic: return "Topic"
        case .payload: return "Payload"
        case .qos: return "QoS"
        case .retain: return "Retain"
        }
    }

    // MARK: - Detail

    public static func detailClient(_ id: String) -> String { "Client " + id }
    public static func detailRetained(_ topic: String, view: DetailState.PayloadView) -> String {
        "Retained " + topic + " · " + payloadView(view)
    }
    public static func payloadView(_ view: DetailState.PayloadView) -> String {
        switch view {
        case .text: return "text"
        case .json: return "json"
        case .hex: return "hex"
        }
    }
    public static func detailQueue(_ topic: String) -> String { "Queue " + topic }
    public static func detailTopic(_ topic: String, view: DetailState.PayloadView) -> String {
        "Topic " + topic + " · " + payloadView(view)
    }
    public static let labelMessages = "Messages"
    public static let labelBytes = "Bytes"
    public static let labelLastSeen = "Last seen"
    public static func sectionTail(_ count: Int) -> String { "Last \(count) \(count == 1 ? "message" : "messages"), newest first" }
    public static let retainFlag = "retain"
    public static func from(_ sender: String) -> String { "from " + sender }
    public static func moreLines(_ count: Int) -> String { "… \(count) more lines" }
    public static func payloadCut(kept: Int, of size: Int) -> String {
        "(first " + Formatting.bytes(kept) + " of " + Formatting.bytes(size) + " kept)"
    }
    public static func olderNotKept(_ count: Int) -> String { "\(count) older messages counted, not kept" }
    public static let changeFirst = "first kept"
    public static let changeNone = "unchanged"
    public static func changedFields(_ keys: [String]) -> String {
        "changed: " + keys.prefix(4).joined(separator: ", ") + (keys.count > 4 ? " …" : "")
    }
    public static func changedSize(from: Int, to: Int) -> String {
        "changed (" + Formatting.bytes(from) + " → " + Formatting.bytes(to) + ")"
    }
    public static let detailGone = "no longer in the latest snapshot"
    public static let labelClientID = "Client ID"
    public static let labelState = "State"
    public static let labelNode = "Node"
    public static let labelAddress = "Address"
    public static let labelProtocol = "Protocol"
    public static let labelKeepAlive = "Keepalive"
    public static let labelInflight = "Inflight"
    public static let labelQueued = "Queued"
    public static let labelTopic = "Topic"
    public static let labelQoS = "QoS"
    public static let labelFrom = "From"
    public static let labelAge = "Age"
    public static let labelMessageID = "Message ID"
    public static let labelSize = "Size"
    public static let labelDepth = "Depth"
    public static let labelOldest = "Oldest"
    public static let unknown = "–"
    public static func sectionSubscriptions(_ count: Int) -> String { "Subscriptions (\(count))" }
    public static func sectionBacklog(_ count: Int) -> String { "Backlog (\(count))" }
    public static func pending(_ count: Int) -> String { "\(count) pending" }
    public static func qos(_ level: Int) -> String { "qos \(level)" }
    public static func seconds(_ value: Int) -> String { "\(value)s" }
    public static let notJSON = "not valid JSON; shown as text"
    public static let emptyPayload = "(empty payload)"
    public static let none = "none"

    // MARK: - Help

    public static let helpTitle = "Help"
    public static let helpFooter = "every write is shown before it is made · any key closes"

    // MARK: - Too small

    public static func tooSmall(width: Int, height: Int, minimumWidth: Int, minimumHeight: Int) -> [String] {
        ["terminal too small (needs \(minimumWidth)x\(minimumHeight))", "now \(width)x\(height)"]
    }
}
