// The only C surface mqtop uses from ncurses. Swift 6 rejects ncurses' mutable globals and cannot import its
// function-like macros, so both are wrapped here in static inline functions and constants.
#ifndef MQTOP_CNCURSES_SHIM_H
#define MQTOP_CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1   /* SwiftPM strips pkg-config's -D_XOPEN_SOURCE, which would enable the wide API */
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <curses.h>
#include <panel.h>

extern int wcwidth(wchar_t c);   /* declared by glibc only under _XOPEN_SOURCE */

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }
static inline void cn_getmaxyx(const WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }

static const attr_t CN_A_NORMAL = A_NORMAL;
static const attr_t CN_A_BOLD = A_BOLD;
static const attr_t CN_A_DIM = A_DIM;
static const attr_t CN_A_REVERSE = A_REVERSE;
static const attr_t CN_A_UNDERLINE = A_UNDERLINE;

/* Restores the terminal from a crash signal's handler before the signal kills the process. */
static inline void cn_emergency_endwin(void) { endwin(); }

#endif
