// posix_spawn's close-from action, which glibc declares only under _GNU_SOURCE (Swift's Glibc module
// does not see it).
#ifndef MQTOP_CSPAWN_H
#define MQTOP_CSPAWN_H
#include <spawn.h>

/// Closes every descriptor >= `from` in the child (glibc 2.34+).
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif
