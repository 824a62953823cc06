/// The rule set of the EMQX plugin, as shipped in `config/emqx_backend_redis.conf` (a test keeps the two equal).
public enum DefaultBackendConfig {
    public static let text = #"""
## mqtop's default backend configuration: the rule set of EMQX's emqx_backend_redis plugin, unchanged.
## `mqtop check-config config/emqx_backend_redis.conf` explains every line.

## Redis deployment type: single | sentinel | cluster
backend.redis.pool1.type = single

## Redis server address(es). mqtop replaces this with the --redis URL or its private redis-server.
backend.redis.pool1.server = 127.0.0.1:6379

## Sentinel master name (sentinel type only)
## backend.redis.pool1.sentinel = mymaster

## Connections in the pool
backend.redis.pool1.pool_size = 8

## Database index
backend.redis.pool1.database = 0

## Password
## backend.redis.pool1.password =

## Channel for SUB/UNSUB events
backend.redis.pool1.channel = mqtt_channel

backend.redis.hook.client.connected.1    = {"action": {"function": "on_client_connected"}, "pool": "pool1"}
backend.redis.hook.session.created.1     = {"action": {"function": "on_subscribe_lookup"}, "pool": "pool1"}
backend.redis.hook.client.disconnected.1 = {"action": {"function": "on_client_disconnected"}, "pool": "pool1"}
backend.redis.hook.session.subscribed.1  = {"topic": "queue/#", "action": {"function": "on_message_fetch_for_queue"}, "pool": "pool1"}
backend.redis.hook.session.subscribed.2  = {"topic": "pubsub/#", "action": {"function": "on_message_fetch_for_pubsub"}, "pool": "pool1"}
backend.redis.hook.session.subscribed.3  = {"action": {"function": "on_retain_lookup"}, "pool": "pool1"}
backend.redis.hook.session.unsubscribed.1= {"topic": "#", "action": {"commands": ["DEL mqtt:acked:${clientid}:${topic}"]}, "pool": "pool1"}
backend.redis.hook.message.publish.1     = {"topic": "#", "action": {"function": "on_message_publish"}, "expired_time" : 3600, "pool": "pool1"}
backend.redis.hook.message.publish.2     = {"topic": "#", "action": {"function": "on_message_retain"}, "expired_time" : 3600, "pool": "pool1"}
backend.redis.hook.message.publish.3     = {"topic": "#", "action": {"function": "on_retain_delete"}, "pool": "pool1"}
backend.redis.hook.message.acked.1       = {"topic": "queue/#", "action": {"function": "on_message_acked_for_queue"}, "pool": "pool1"}
backend.redis.hook.message.acked.2       = {"topic": "pubsub/#", "action": {"function": "on_message_acked_for_pubsub"}, "pool": "pool1"}

## The keep-latest variant:
## backend.redis.hook.session.subscribed.1  = {"topic": "#", "action": {"function": "on_message_fetch_for_keep_latest"}, "pool": "pool1"}
## backend.redis.hook.message.publish.1     = {"topic": "#", "action": {"function": "on_message_store_keep_latest"}, "expired_time" : 3600, "pool": "pool1"}
## backend.redis.hook.message.acked.1       = {"topic": "#", "action": {"function": "on_message_acked_for_keep_latest"}, "pool": "pool1"}
"""#
}
