import EMQXLayout

/// Which layout the console reads the keys as, why, and what it found that does not fit: the header
/// shows all three, so a wrong guess or a keyspace written by two EMQX generations is visible, not
/// silently merged.
public struct LayoutReport: Sendable, Hashable {
    public enum Basis: Sendable, Hashable {
        /// `--layout emqx4|omp`.
        case flag
        /// `--layout auto`, from what the keys hold.
        case detected
        /// `--layout auto` found nothing to judge by yet (an empty keyspace): read as this until it does.
        case provisional
    }

    public var layout: StoreLayout
    public var basis: Basis
    /// Keys of the other layout seen and left out, e.g. `2 omp queues`; nil when none.
    public var foreign: String?

    public init(layout: StoreLayout, basis: Basis, foreign: String? = nil) {
        self.layout = layout
        self.basis = basis
        self.foreign = foreign
    }
}

/// `--layout`: one layout, or decide from the keys.
public enum LayoutChoice: Sendable, Hashable {
    case fixed(StoreLayout)
    /// Decide; `omp` carries the prefixes and TTL to use if the plugin's layout is found (`score` is
    /// then taken from the keys), `ttlGiven` whether `--message-ttl` set the TTL or it may be inferred,
    /// `ompOnly` (`--layout omp`) that only the plugin generation is to be decided.
    case auto(omp: OfflineMessageLayout, ttlGiven: Bool, ompOnly: Bool = false)
}
