// Terminal: the ncurses blitter (see ../../shared/notes/ncurses-swift.md)
