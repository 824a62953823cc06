import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// On a crash (a trap, an abort, a bad access) the terminal is put back before the process dies, so the
/// user's shell is not left in raw mode without echo.
enum CrashRestore {
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    static func install() {
        for number in signals {
            signal(number) { received in
                cn_emergency_endwin()
                // Die of the same signal, with the default action, so exit codes and cores are as usual.
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func uninstall() {
        for number in signals { signal(number, SIG_DFL) }
    }
}
