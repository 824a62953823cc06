#!/usr/bin/env bash
# Cross-node traffic: one mqtop node (A) against a cluster of two nodes (B) on one redis-server, in the same
# run, alternating rounds (see BENCHMARKS.md §4).
#   scripts/bench-cluster.sh [compare.sh options...]     e.g. --rounds 3 --scenarios "fanin-q1 fanout-q1"
# Publishers connect to the broker's port P and subscribers to P+10: on the single node both ports are its
# own listeners, in the cluster they are node n1 and node n2, so every message crosses from one node to the
# other through Redis. The harness learns the subscribers' port from MQTTBENCH_SUB_PORT_OFFSET, which a
# two-line change to our scratch copy of it adds. Both brokers run the seed's client rules (online state,
# mqtt:node) but not its message storage, so what differs is the forwarding alone. After each cluster round
# the Redis command counts go to results/…/redis-commandstats-*.txt (commands per forwarded message).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${MQTOP_SHARED:-$ROOT/../shared}"
MQTOP="$ROOT/.build/release/mqtop"
[ -x "$MQTOP" ] || { echo "build first: swift build -c release" >&2; exit 2; }
[ -d "$SHARED/bench" ] || { echo "no benchmark harness at $SHARED/bench" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$SHARED/bench" "$WORK/"
# Subscribers (and retained subscribers) connect to the port plus MQTTBENCH_SUB_PORT_OFFSET.
python3 - "$WORK/bench/mqttbench.c" <<'PATCH'
import sys
path = sys.argv[1]
text = open(path).read()
old = "int rc = mosquitto_connect_async(c->m, o->host, o->port, c->keepalive);"
new = ("const char *offset = getenv(\"MQTTBENCH_SUB_PORT_OFFSET\");\n"
       "\tint port = o->port + ((offset && (c->role == R_SUB || c->role == R_RSUB)) ? atoi(offset) : 0);\n"
       "\tint rc = mosquitto_connect_async(c->m, o->host, port, c->keepalive);")
if old not in text:
    sys.exit("the harness changed: no single connect call to patch")
open(path, "w").write(text.replace(old, new))
PATCH
make -s -C "$WORK/bench" >/dev/null
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
OUT="$ROOT/results/bench-cluster-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# The seed's client rules only: no message is stored, so the cost measured is the cluster's.
cat > "$WORK/clients-only.conf" <<CONF
backend.redis.pool1.server = 127.0.0.1:6379
backend.redis.pool1.pool_size = 4
backend.redis.hook.client.connected.1    = {"action": {"function": "on_client_connected"}, "pool": "pool1"}
backend.redis.hook.client.disconnected.1 = {"action": {"function": "on_client_disconnected"}, "pool": "pool1"}
CONF

# A: one node, its own Redis, listening on both ports.
cat > "$WORK/one-node.sh" <<SCRIPT
#!/usr/bin/env bash
dir=\$(mktemp -d)
setsid redis-server --port 0 --unixsocket "\$dir/redis.sock" --save "" --appendonly no --dir "\$dir" >/dev/null &
until redis-cli -s "\$dir/redis.sock" PING >/dev/null 2>&1; do sleep 0.05; done
trap 'redis-cli -s "\$dir/redis.sock" SHUTDOWN NOSAVE >/dev/null 2>&1; kill \$node 2>/dev/null; wait; rm -rf "\$dir"; exit 0' TERM INT
$MQTOP serve --redis "unix://\$dir/redis.sock" --backend-config "$WORK/clients-only.conf" --sys-interval 0 \\
    --log-level error --node solo --listen 127.0.0.1:18831 --listen 127.0.0.1:18841 &
node=\$!
wait
SCRIPT

# B: two nodes of one cluster on one Redis; publishers on n1 (18832), subscribers on n2 (18842).
cat > "$WORK/two-nodes.sh" <<SCRIPT
#!/usr/bin/env bash
dir=\$(mktemp -d)
setsid redis-server --port 0 --unixsocket "\$dir/redis.sock" --save "" --appendonly no --dir "\$dir" >/dev/null &
until redis-cli -s "\$dir/redis.sock" PING >/dev/null 2>&1; do sleep 0.05; done
redis="unix://\$dir/redis.sock"
common="--redis \$redis --backend-config $WORK/clients-only.conf --sys-interval 0 --log-level error --cluster bench"
done_round() {
    redis-cli -s "\$dir/redis.sock" INFO commandstats > "$OUT/redis-commandstats-\$(date +%H%M%S).txt" 2>&1
    kill \$one \$two 2>/dev/null; wait
    redis-cli -s "\$dir/redis.sock" SHUTDOWN NOSAVE >/dev/null 2>&1; rm -rf "\$dir"; exit 0
}
trap done_round TERM INT
$MQTOP serve \$common --node n2 --listen 127.0.0.1:18842 &
two=\$!
until (exec 3<>/dev/tcp/127.0.0.1/18842) 2>/dev/null; do sleep 0.05; done
$MQTOP serve \$common --node n1 --listen 127.0.0.1:18832 &
one=\$!
wait
SCRIPT
chmod +x "$WORK/one-node.sh" "$WORK/two-nodes.sh"

MQTTBENCH_SUB_PORT_OFFSET=10 "$WORK/bench/compare.sh" \
    --a-name one-node --a-cmd "$WORK/one-node.sh" --a-addr 127.0.0.1:18831 \
    --b-name two-nodes --b-cmd "$WORK/two-nodes.sh" --b-addr 127.0.0.1:18832 \
    --scenarios "${SCENARIOS:-fanin-q1 fanin-q1w fanout-q1}" --out "$OUT" "$@"
echo "results in $OUT"
