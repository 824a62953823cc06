// Terminal: see ../shared/design.md
