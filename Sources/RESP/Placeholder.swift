// RESP: see ../shared/design.md
