// MQTTClient: see ../shared/design.md
