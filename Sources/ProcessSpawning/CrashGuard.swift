import CCrashGuard
#if canImport(Glibc)
import Glibc
#endif

/// The crash path ends the process within a bound, and takes registered children (the private
/// redis-server) with it.
///
/// The Swift runtime's backtracer handles crash signals; once it hung ("failed to suspend thread"), so the
/// process never exited, and a child waiting for its parent to die kept running. The guard's handler runs
/// first: it kills the children, arms a SIGKILL for the whole process after `bound`, then hands over to the
/// backtracer as before.
public enum CrashGuard {
    /// Set to `hung-handler` (the backtracer hangs) or `crash` to make `crashIfAskedForTest` crash.
    public static let testVariable = "MQTOP_CRASH_FOR_TEST"

    public static func install(bound: Duration = .seconds(3)) {
        let seconds = UInt32(max(1, bound.components.seconds))
        if crashguard_install(seconds) != 0 {
            // Only a missing timer can fail here; the process runs, without the bound.
            perror("mqtop: crash guard not installed")
        }
    }

    /// Stops `pid` (SIGTERM) the moment this process crashes.
    public static func killOnCrash(_ pid: pid_t) {
        _ = crashguard_kill_on_crash(pid)
    }

    public static func forget(_ pid: pid_t) {
        crashguard_forget(pid)
    }

    /// Crashes on purpose when the environment asks for it: how tests prove the crash path.
    public static func crashIfAskedForTest(_ environment: [String: String]) {
        guard let mode = environment[testVariable] else { return }
        crashguard_simulate_hung_handler(mode == "hung-handler" ? 1 : 0)
        raise(SIGSEGV)
    }
}
