// ConsoleUI: see ../shared/design.md
