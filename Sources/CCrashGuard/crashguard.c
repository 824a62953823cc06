#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "ccrashguard.h"

#define MAX_CHILDREN 8
static const int guarded[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
#define GUARDED_COUNT (sizeof guarded / sizeof guarded[0])

static _Atomic pid_t children[MAX_CHILDREN];
static struct sigaction previous[GUARDED_COUNT];
/// A second after the bound: SIGKILL, should the reaper not have done it.
static timer_t watchdog;
static unsigned int bound;
static atomic_int crashing;
static atomic_int hang_for_test;

static void start_reaper(void);

static void on_crash(int sig, siginfo_t *info, void *context) {
    if (atomic_exchange(&crashing, 1) == 0) {
        for (int i = 0; i < MAX_CHILDREN; i++) {
            pid_t pid = atomic_load(&children[i]);
            if (pid > 0) kill(pid, SIGTERM);
        }
        // SIGKILL cannot be blocked or caught: the process ends even if what follows hangs.
        struct itimerspec after = { .it_value = { .tv_sec = bound + 1, .tv_nsec = 0 } };
        timer_settime(watchdog, 0, &after, NULL);
        start_reaper();
        static const char note[] = "mqtop: crashed; its children are stopped and it exits within a few seconds\n";
        ssize_t ignored = write(STDERR_FILENO, note, sizeof note - 1);
        (void)ignored;
    }
    if (atomic_load(&hang_for_test)) {
        for (;;) pause();
    }
    for (unsigned i = 0; i < GUARDED_COUNT; i++) {
        if (guarded[i] != sig) continue;
        struct sigaction *old = &previous[i];
        if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
            old->sa_sigaction(sig, info, context);
            return;
        }
        if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN && old->sa_handler) {
            old->sa_handler(sig);
            return;
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Parses the parent pid out of a `/proc/<pid>/stat` line: the field after the state, after the last ')'
/// (the command name may hold spaces and parentheses). -1 when the line does not parse.
static pid_t parent_in_stat(const char *line, ssize_t length) {
    ssize_t last = -1;
    for (ssize_t i = 0; i < length; i++) if (line[i] == ')') last = i;
    // ") S <ppid> "
    ssize_t i = last + 4;
    if (last < 0 || i >= length) return -1;
    pid_t ppid = 0;
    for (; i < length && line[i] >= '0' && line[i] <= '9'; i++) ppid = ppid * 10 + (line[i] - '0');
    return ppid;
}

/// SIGKILLs every child of `parent` but the caller. Only async-signal-safe calls: open, getdents64, read,
/// kill.
static void kill_children_of(pid_t parent) {
    pid_t self = getpid();
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    if (proc < 0) return;
    char entries[4096];
    long count;
    while ((count = syscall(SYS_getdents64, proc, entries, sizeof entries)) > 0) {
        for (long offset = 0; offset < count;) {
            struct dirent64 *entry = (struct dirent64 *)(entries + offset);
            offset += entry->d_reclen;
            const char *name = entry->d_name;
            if (name[0] < '1' || name[0] > '9') continue;
            char path[64] = "/proc/";
            size_t at = 6;
            for (const char *c = name; *c && at < sizeof path - 6; c++) path[at++] = *c;
            memcpy(path + at, "/stat", 6);
            int stat = open(path, O_RDONLY);
            if (stat < 0) continue;
            char line[512];
            ssize_t length = read(stat, line, sizeof line);
            close(stat);
            if (length <= 0 || parent_in_stat(line, length) != parent) continue;
            pid_t child = 0;
            for (const char *c = name; *c >= '0' && *c <= '9'; c++) child = child * 10 + (*c - '0');
            if (child > 0 && child != self) kill(child, SIGKILL);
        }
    }
    close(proc);
}

/// A child process that, at the bound, kills every other child of the crashed process (the Swift
/// backtracer among them: cut off mid-work by the SIGKILL it would wait forever for a process that is gone)
/// and then the process. A process, because the backtracer blocks every signal in the crashed one; it dies
/// with its parent if that ends sooner.
static void start_reaper(void) {
    pid_t parent = getpid();
    pid_t reaper = fork();
    if (reaper != 0) return;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    struct timespec wait = { .tv_sec = bound, .tv_nsec = 0 };
    while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {}
    kill_children_of(parent);
    kill(parent, SIGKILL);
    _exit(0);
}

int crashguard_install(unsigned int bound_seconds) {
    static atomic_int installed;
    // Once per process: a second install would save this handler as its own predecessor.
    if (atomic_exchange(&installed, 1)) return 0;
    bound = bound_seconds ? bound_seconds : 1;
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGKILL;
    if (timer_create(CLOCK_MONOTONIC, &event, &watchdog) != 0) return -1;
    for (unsigned i = 0; i < GUARDED_COUNT; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_crash;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        if (sigaction(guarded[i], &action, &previous[i]) != 0) return -1;
    }
    return 0;
}

int crashguard_kill_on_crash(pid_t pid) {
    for (int i = 0; i < MAX_CHILDREN; i++) {
        pid_t empty = 0;
        if (atomic_compare_exchange_strong(&children[i], &empty, pid)) return 0;
    }
    errno = ENOSPC;
    return -1;
}

void crashguard_forget(pid_t pid) {
    for (int i = 0; i < MAX_CHILDREN; i++) {
        pid_t expected = pid;
        atomic_compare_exchange_strong(&children[i], &expected, 0);
    }
}

void crashguard_simulate_hung_handler(int on) { atomic_store(&hang_for_test, on); }
