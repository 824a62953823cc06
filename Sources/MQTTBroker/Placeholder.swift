// MQTTBroker: see ../shared/design.md
