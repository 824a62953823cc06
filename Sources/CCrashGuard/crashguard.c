#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ccrashguard.h"

#define MAX_CHILDREN 8
static const int guarded[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
#define GUARDED_COUNT (sizeof guarded / sizeof guarded[0])

static _Atomic pid_t children[MAX_CHILDREN];
static struct sigaction previous[GUARDED_COUNT];
static timer_t watchdog;
static unsigned int bound;
static atomic_int crashing;
static atomic_int hang_for_test;

static void on_crash(int sig, siginfo_t *info, void *context) {
    if (atomic_exchange(&crashing, 1) == 0) {
        for (int i = 0; i < MAX_CHILDREN; i++) {
            pid_t pid = atomic_load(&children[i]);
            if (pid > 0) kill(pid, SIGTERM);
        }
        // SIGKILL cannot be blocked or caught: the process ends even if what follows hangs.
        struct itimerspec when = { .it_value = { .tv_sec = bound, .tv_nsec = 0 } };
        timer_settime(watchdog, 0, &when, NULL);
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
