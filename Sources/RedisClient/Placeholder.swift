// RedisClient: see ../shared/design.md
