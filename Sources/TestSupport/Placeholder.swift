// TestSupport: see ../shared/design.md
