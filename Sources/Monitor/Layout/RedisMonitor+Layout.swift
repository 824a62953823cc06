import EMQXLayout
import Foundation

extension RedisMonitor {
    /// The layout this sweep reads: the one `--layout` names, or the verdict of a probe of the keys, kept
    /// once made and re-judged each sweep while there is nothing to judge by. Embedded mode reads the
    /// engine's own layout and shows no verdict.
    func resolveLayout(_ post: @Sendable (DashboardSnapshot) -> Void) async throws -> StoreLayout {
        guard let choice = options.layout else { return .emqx4 }
        if let current = state.withLock({ $0.header.layout }), current.basis != .provisional { return current.layout }
        let report: LayoutReport
        switch choice {
        case .fixed(let layout):
            report = LayoutReport(layout: layout, basis: .flag)
        case let .auto(omp, ttlGiven, ompOnly):
            let evidence = try await LayoutProbe(client: client, omp: omp, maxCalls: options.probeCalls,
                                                 batch: options.batch)
                .run(now: Int64(Date().timeIntervalSince1970 * 1000))
            layoutEvidence.withLock { $0 = evidence }
            report = evidence.verdict(omp: omp, ttlGiven: ttlGiven, ompOnly: ompOnly)
            if report.basis != .provisional {
                logger.info("layout \(report.layout.name) from the keys: \(evidence)")
            }
        }
        if let foreign = report.foreign { logger.warning("mixed keyspace: \(foreign) beside the \(report.layout.name) layout") }
        update(post) { $0.header.layout = report }
        if report.basis == .detected {
            record(EventRow(time: Date(), kind: .info, text: "keys read as the \(report.layout.name) layout"
                                + (report.foreign.map { "; also found \($0), not shown" } ?? "")), post: post)
        }
        return report.layout
    }

    /// A probe that sampled nothing to judge by left the verdict provisional (the queues sat beyond its
    /// sample in a large keyspace); the full walk then found some, of either form: judge those instead.
    func reconsiderLayout(queues: [String], _ post: @Sendable (DashboardSnapshot) -> Void) async throws {
        guard case let .auto(omp, ttlGiven, ompOnly)? = options.layout, !queues.isEmpty,
              state.withLock({ $0.header.layout?.basis }) == .provisional else { return }
        let evidence = try await LayoutProbe(client: client, omp: omp, batch: options.batch)
            .run(now: Int64(Date().timeIntervalSince1970 * 1000), queues: queues)
        layoutEvidence.withLock { $0 = evidence }
        let report = evidence.verdict(omp: omp, ttlGiven: ttlGiven, ompOnly: ompOnly)
        guard report.basis != .provisional else { return }
        logger.info("layout \(report.layout.name) from the full sweep's queues: \(evidence)")
        update(post) { $0.header.layout = report }
        record(EventRow(time: Date(), kind: .info, text: "keys read as the \(report.layout.name) layout from the next sweep"),
               post: post)
    }

    /// After a full queue walk, the header's "mixed" note counts the queues of the other layout exactly
    /// (the probe only sampled them), keeping the probe's note on EMQX 4 client keys.
    func noteForeign(queues: Int, in snapshot: inout DashboardSnapshot) {
        guard var report = snapshot.header.layout else { return }
        let plugin = report.layout != .emqx4
        let clients = plugin ? (layoutEvidence.withLock { $0 }?.clientHashes ?? 0) : 0
        let text = LayoutEvidence.describe(clients: clients, queues: queues, layout: plugin ? "emqx4" : "omp")
        report.foreign = text.isEmpty ? nil : text
        snapshot.header.layout = report
    }
}
