#if canImport(Glibc)
import Glibc
#endif

/// glibc keeps freed heap in its per-thread arenas. After a Redis outage the backlog that drained can be
/// hundreds of MB the process would otherwise hold for good; `malloc_trim` hands it back to the system.
/// Looked up at run time, since not every libc has it.
enum FreedMemory {
    static func returnToSystem() {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
        #endif
    }
}
