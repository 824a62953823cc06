#!/usr/bin/env bash
# Runs the shared MQTT load scenarios against Mosquitto and mqtop in the same run, alternating rounds,
# and prints medians and ratios (see BENCHMARKS.md). Extra arguments go to compare.sh, e.g.
#   scripts/bench.sh --rounds 5 --scenarios "fanin-q0 fanout-q0"
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${MQTOP_SHARED:-$ROOT/../shared}"
MQTOP="$ROOT/.build/release/mqtop"
[ -x "$MQTOP" ] || { echo "build first: swift build -c release" >&2; exit 2; }
[ -d "$SHARED/bench" ] || { echo "no benchmark harness at $SHARED/bench" >&2; exit 2; }
command -v mosquitto >/dev/null || { echo "mosquitto is not installed (apt install mosquitto libmosquitto-dev)" >&2; exit 2; }

# The harness folder may be read-only: build it in a scratch copy.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$SHARED/bench" "$WORK/"
make -s -C "$WORK/bench" >/dev/null
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

OUT="$ROOT/results/bench-$(date +%Y%m%d-%H%M%S)"
"$WORK/bench/compare.sh" \
    --a-name mosquitto --a-cmd "exec mosquitto -c $WORK/bench/conf/mosquitto-18831.conf" --a-addr 127.0.0.1:18831 \
    --b-name mqtop --b-cmd "exec $MQTOP serve --no-backend --listen 127.0.0.1:18832 --sys-interval 0 --log-level error" \
    --b-addr 127.0.0.1:18832 --out "$OUT" "$@"
echo "results in $OUT"
