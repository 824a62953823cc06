// RedisBackend: see ../shared/design.md
