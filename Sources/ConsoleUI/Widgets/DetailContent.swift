import Foundation
import Monitor

/// The lines of the detail view for one entity, built from the current snapshot so the view stays live.
enum DetailContent {
    struct Page {
        var title: String
        var lines: [[Span]]
        var hints: [KeyHint]
    }

    static let labelWidth = 12

    static func page(_ detail: DetailState, snapshot: DashboardSnapshot, traffic: TrafficTable, now: Date,
                     timeZone: TimeZone, width: Int) -> Page {
        switch detail.target {
        case .client(let id):
            return Page(title: UIStrings.detailClient(Escaping.controls(id)),
                        lines: client(id, snapshot: snapshot, now: now, width: width),
                        hints: [UIStrings.hintBack, UIStrings.hintScroll, UIStrings.hintQuit])
        case .retained(let topic):
            return Page(title: UIStrings.detailRetained(Escaping.controls(topic), view: detail.payloadView),
                        lines: retained(topic, view: detail.payloadView, snapshot: snapshot, now: now, width: width),
                        hints: [UIStrings.hintBack, UIStrings.hintPayloadView, UIStrings.hintScroll, UIStrings.hintQuit])
        case .queue(let topic):
            return Page(title: UIStrings.detailQueue(Escaping.controls(topic)),
                        lines: queue(topic, snapshot: snapshot, now: now),
                        hints: [UIStrings.hintBack, UIStrings.hintScroll, UIStrings.hintQuit])
        case .topic(let topic):
            return Page(title: UIStrings.detailTopic(Escaping.controls(topic), view: detail.payloadView),
                        lines: TopicDetailContent.lines(topic, traffic: traffic, view: detail.payloadView, now: now,
                                                        timeZone: timeZone, width: width),
                        hints: [UIStrings.hintBack, UIStrings.hintPayloadView, UIStrings.hintScroll, UIStrings.hintQuit])
        }
    }

    static func field(_ label: String, _ value: String, _ role: Role = .text) -> [Span] {
        [Span(TextFit.fit(label, to: labelWidth), .muted), Span(Escaping.controls(value), role)]
    }

    static func section(_ title: String) -> [Span] { [Span(title, .columnHeader)] }

    static func client(_ id: String, snapshot: DashboardSnapshot, now: Date, width: Int) -> [[Span]] {
        guard let client = snapshot.clients.first(where: { $0.clientID == id }) else {
            return [field(UIStrings.labelClientID, id), [Span(UIStrings.detailGone, .warn)]]
        }
        let since = Formatting.relative(since: client.since, now: now).map { "  " + $0 } ?? ""
        var lines = [
            field(UIStrings.labelClientID, client.clientID),
            field(UIStrings.labelState, UIStrings.presence(client.presence) + since, client.online ? .ok : .muted),
            field(UIStrings.labelNode, client.node ?? UIStrings.unknown),
        ]
        if let address = client.address { lines.append(field(UIStrings.labelAddress, address)) }
        if let version = client.protocolVersion { lines.append(field(UIStrings.labelProtocol, version)) }
        if let keepAlive = client.keepAlive { lines.append(field(UIStrings.labelKeepAlive, UIStrings.seconds(keepAlive))) }
        if let inflight = client.inflight { lines.append(field(UIStrings.labelInflight, String(inflight))) }
        if let queued = client.queued { lines.append(field(UIStrings.labelQueued, String(queued))) }

        let subscriptions = snapshot.subscriptions.filter { $0.clientID == id }
        lines += [[], section(UIStrings.sectionSubscriptions(subscriptions.count))]
        if subscriptions.isEmpty { lines.append([Span("  " + UIStrings.none, .muted)]) }
        // Long filters are cut so `qos 1  stored` (17 columns with the indent) stays visible.
        let filterWidth = min(max(16, subscriptions.map { CharWidth.of(Escaping.controls($0.filter)) }.max() ?? 0),
                              max(8, width - 17))
        for sub in subscriptions {
            lines.append([Span("  " + TextFit.fit(Escaping.controls(sub.filter), to: filterWidth) + "  "),
                          Span(UIStrings.qos(sub.qos) + "  "), Span(UIStrings.source(sub.source), .muted)])
        }

        let backlog = snapshot.queues.compactMap { queue in
            queue.backlog.first { $0.clientID == id }.map { (topic: queue.topic, pending: $0.pending) }
        }
        lines += [[], section(UIStrings.sectionBacklog(backlog.count))]
        if backlog.isEmpty { lines.append([Span("  " + UIStrings.none, .muted)]) }
        let topicWidth = min(max(16, backlog.map { CharWidth.of(Escaping.controls($0.topic)) }.max() ?? 0),
                             max(8, width - 16))
        for entry in backlog {
            lines.append([Span("  " + TextFit.fit(Escaping.controls(entry.topic), to: topicWidth) + "  "),
                          Span(UIStrings.pending(entry.pending), entry.pending > 0 ? .warn : .muted)])
        }
        return lines
    }

    static func retained(_ topic: String, view: DetailState.PayloadView, snapshot: DashboardSnapshot, now: Date,
                         width: Int) -> [[Span]] {
        guard let message = snapshot.retained.first(where: { $0.topic == topic }) else {
            return [field(UIStrings.labelTopic, topic), [Span(UIStrings.detailGone, .warn)]]
        }
        var lines = [
            field(UIStrings.labelTopic, message.topic),
            field(UIStrings.labelQoS, String(message.qos)),
            field(UIStrings.labelFrom, message.from),
            field(UIStrings.labelAge, Formatting.relative(since: message.timestamp, now: now) ?? UIStrings.unknown),
            field(UIStrings.labelMessageID, message.messageID.isEmpty ? UIStrings.unknown : message.messageID),
            field(UIStrings.labelSize, Formatting.bytes(message.payload.count)),
            [],
        ]
        let (note, payloadLines) = payload(message.payload, view: view, width: width)
        if let note { lines.append(note) }
        return lines + payloadLines.map { [Span($0)] }
    }

    /// A payload as the view asks (text, JSON, hex), with a note when it is not the JSON asked for.
    static func payload(_ data: Data, view: DetailState.PayloadView, width: Int) -> (note: [Span]?, lines: [String]) {
        switch view {
        case .text: return (nil, PayloadFormat.text(data, width: width))
        case .json:
            if let json = PayloadFormat.json(data, width: width) { return (nil, json) }
            return ([Span(UIStrings.notJSON, .warn)], PayloadFormat.text(data, width: width))
        case .hex: return (nil, PayloadFormat.hex(data, width: width))
        }
    }

    static func queue(_ topic: String, snapshot: DashboardSnapshot, now: Date) -> [[Span]] {
        guard let queue = snapshot.queues.first(where: { $0.topic == topic }) else {
            return [field(UIStrings.labelTopic, topic), [Span(UIStrings.detailGone, .warn)]]
        }
        var lines = [
            field(UIStrings.labelTopic, queue.topic),
            field(UIStrings.labelDepth, String(queue.depth)),
            field(UIStrings.labelOldest, Formatting.relative(since: queue.oldest, now: now) ?? UIStrings.unknown),
            [],
            section(UIStrings.sectionBacklog(queue.backlog.count)),
        ]
        if queue.backlog.isEmpty { lines.append([Span("  " + UIStrings.none, .muted)]) }
        let idWidth = max(16, queue.backlog.map { CharWidth.of(Escaping.controls($0.clientID)) }.max() ?? 0)
        for entry in queue.backlog {
            lines.append([Span("  " + TextFit.fit(Escaping.controls(entry.clientID), to: idWidth) + "  "),
                          Span(UIStrings.pending(entry.pending), entry.pending > 0 ? .warn : .muted)])
        }
        return lines
    }
}
