// Monitor: see ../shared/design.md
