#!/usr/bin/env bash
# Runs the shared MQTT load scenarios against two brokers in the same run, alternating rounds, and prints
# medians and ratios (see BENCHMARKS.md).
#   scripts/bench.sh [mosquitto|backend] [compare.sh options...]
#     mosquitto  Mosquitto (A) against mqtop --no-backend (B)                       (default)
#     backend    mqtop --no-backend (A) against mqtop with the seed's rule set on a private Redis (B)
# e.g. scripts/bench.sh mosquitto --rounds 5 --scenarios "fanin-q0 fanout-q0"
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${MQTOP_SHARED:-$ROOT/../shared}"
MQTOP="$ROOT/.build/release/mqtop"
MODE="mosquitto"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then MODE="$1"; shift; fi
[ -x "$MQTOP" ] || { echo "build first: swift build -c release" >&2; exit 2; }
[ -d "$SHARED/bench" ] || { echo "no benchmark harness at $SHARED/bench" >&2; exit 2; }
command -v mosquitto >/dev/null || { echo "mosquitto is not installed (apt install mosquitto libmosquitto-dev)" >&2; exit 2; }

# The harness folder may be read-only: build it in a scratch copy.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$SHARED/bench" "$WORK/"
make -s -C "$WORK/bench" >/dev/null
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
OUT="$ROOT/results/bench-$MODE-$(date +%Y%m%d-%H%M%S)"
PLAIN="exec $MQTOP serve --no-backend --sys-interval 0 --log-level error"

case "$MODE" in
mosquitto)
    "$WORK/bench/compare.sh" \
        --a-name mosquitto --a-cmd "exec mosquitto -c $WORK/bench/conf/mosquitto-18831.conf" --a-addr 127.0.0.1:18831 \
        --b-name mqtop --b-cmd "$PLAIN --listen 127.0.0.1:18832" --b-addr 127.0.0.1:18832 \
        --out "$OUT" "$@"
    ;;
backend)
    # A fresh private Redis per round (its own data directory), every QoS 1 message stored by the seed's rules.
    # The broker's CPU figures cover mqtop only; redis-server runs beside it.
    cat > "$WORK/mqtop-backend.sh" <<SCRIPT
#!/usr/bin/env bash
exec $MQTOP serve --data-dir "\$(mktemp -d)" --sys-interval 0 --log-level error --listen 127.0.0.1:18832
SCRIPT
    chmod +x "$WORK/mqtop-backend.sh"
    "$WORK/bench/compare.sh" \
        --a-name backend-off --a-cmd "$PLAIN --listen 127.0.0.1:18831" --a-addr 127.0.0.1:18831 \
        --b-name backend-on --b-cmd "$WORK/mqtop-backend.sh" \
        --b-addr 127.0.0.1:18832 --scenarios "${SCENARIOS:-fanin-q1w fanin-q1 fanout-q0 pingpong-q1}" \
        --out "$OUT" "$@"
    ;;
*) echo "unknown mode $MODE (mosquitto or backend)" >&2; exit 2 ;;
esac
echo "results in $OUT"
