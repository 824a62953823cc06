// The crash path of the process, in C because a signal handler may only do async-signal-safe things.
#ifndef MQTOP_CCRASHGUARD_H
#define MQTOP_CCRASHGUARD_H
#include <sys/types.h>

/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP that stop the registered
/// children, arm the end of the process after `bound_seconds` (every child it has then is killed with it,
/// the Swift backtracer included; a SIGKILL a second later if that cannot run), then run the handler that
/// was there before (Swift's backtracer). Returns 0, or -1 with errno set.
int crashguard_install(unsigned int bound_seconds);

/// A process to stop (SIGTERM: redis-server flushes its AOF) the moment this one crashes; up to 8.
/// Returns 0, or -1 when full.
int crashguard_kill_on_crash(pid_t pid);

/// Forgets a process registered with crashguard_kill_on_crash.
void crashguard_forget(pid_t pid);

/// For tests: the previous handler is replaced by one that never returns, as a hung backtracer.
void crashguard_simulate_hung_handler(int on);

#endif
