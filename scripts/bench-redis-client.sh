#!/usr/bin/env bash
# Pipelined SET and HSET throughput of mqtop's Redis client against redis-benchmark, on one private
# redis-server, in the same run. Prints both and the ratio (client / redis-benchmark; aim: 0.8 or better).
#
#   scripts/bench-redis-client.sh [commands] [pipeline] [concurrency]
#
# The client side runs `mqtop bench redis` (RedisClientBenchmark.run) from a release build; set MQTOP to
# another binary to override, API=async to drive it from Swift tasks instead of event-loop futures. Results are in BENCHMARKS.md §3.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
P=${2:-16}
C=${3:-50}
MQTOP=${MQTOP:-.build/release/mqtop}

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no --logfile "$dir/redis.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do redis-cli -p "$port" PING 2>/dev/null | grep -q PONG && break; sleep 0.05; done

declare -A reference
for test in set hset; do
  line=$(redis-benchmark -p "$port" -n "$N" -P "$P" -c "$C" -t "$test" --csv -q | grep -i "\"$test\"" | head -1)
  reference[$test]=$(echo "$line" | cut -d, -f2 | tr -d '"')
  echo "redis-benchmark $test: ${reference[$test]} requests/s (-n $N -P $P -c $C)"
done

if [ ! -x "$MQTOP" ] || ! "$MQTOP" bench redis --help >/dev/null 2>&1; then
  echo "no '$MQTOP bench redis' yet: wire RedisClientBenchmark.run(url:commands:pipeline:concurrency:) to it" >&2
  exit 2
fi
# `--api futures` (event-loop callers, the broker's case) or `--api async` (Swift tasks).
"$MQTOP" bench redis --url "redis://127.0.0.1:$port" --commands "$N" --pipeline "$P" --concurrency "$C" \
  --api "${API:-futures}" | tee "$dir/client.txt"
for test in set hset; do
  ours=$(grep -i "^$test:" "$dir/client.txt" | sed -E 's/^[A-Za-z]+: ([0-9]+) .*/\1/')
  python3 -c "print('ratio $test: %.2f' % ($ours / ${reference[$test]}))"
done
