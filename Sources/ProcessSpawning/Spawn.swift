import CSpawn
#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with `posix_spawn`, with an empty signal mask and default dispositions.
///
/// Foundation's `Process` passes on the test runner's blocked signals (SIGCHLD among them), and a shell
/// started that way never returns from `wait`. Spawning directly lets the child start clean.
public enum Spawn {
    /// Spawns `argv` with `stdinFD` as its standard input and stdout/stderr on /dev/null.
    public static func start(_ argv: [String], environment: [String: String], stdinFD: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else: SwiftNIO's accepted sockets are not close-on-exec on Linux, and a child holding a
        // client's socket would keep it open after the broker closed it (no FIN until the child exits).
        cspawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else { throw SpawnError(call: "posix_spawn \(argv[0])", code: result) }
        return pid
    }
}

/// A failed system call while starting a process.
public struct SpawnError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }
    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}

/// A shell script that runs a command and kills it when the script's stdin closes: give it a pipe whose
/// write end only the parent holds, and the command dies with the parent, however the parent dies.
public enum ParentDeathGuard {
    /// Arguments: log file, pid file, working directory (may be empty), then the command and its arguments.
    public static let script = #"""
    log=$1; pidfile=$2; dir=$3; shift 3
    [ -n "$dir" ] && cd "$dir"
    exec 3<&0
    "$@" >"$log" 2>&1 </dev/null 3<&- & child=$!
    echo $child >"$pidfile"
    trap 'kill -TERM $child 2>/dev/null' TERM
    ( read -r _ <&3 ; kill -TERM $child 2>/dev/null ) &
    watcher=$!
    wait $child; status=$?
    while kill -0 $child 2>/dev/null; do wait $child; status=$?; done
    kill $watcher 2>/dev/null
    exit $status
    """#

    /// Starts `arguments` under the guard; returns the guard's pid and the pipe end that keeps it alive.
    public static func start(_ arguments: [String], logPath: String, pidPath: String, workingDirectory: String?,
                             environment: [String: String]) throws -> (guardPID: pid_t, keepAlive: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(call: "pipe", code: errno) }
        // Only the parent may hold the write end, or the guard would never see it close.
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        defer { close(fds[0]) }
        do {
            let pid = try Spawn.start(["/bin/sh", "-c", script, "guard", logPath, pidPath, workingDirectory ?? ""]
                                      + arguments, environment: environment, stdinFD: fds[0])
            return (pid, fds[1])
        } catch {
            close(fds[1])
            throw error
        }
    }
}
