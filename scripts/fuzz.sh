#!/usr/bin/env bash
# libFuzzer runs of the MQTT decoder, the RESP parser and the backend config parser (`make fuzz`).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: FuzzMQTT FuzzRESP FuzzBackendConfig (default: all)
#
# Each target starts from the committed seeds (fuzz/corpus/<name>) and past findings (fuzz/regressions/<name>);
# what it learns goes to .build-fuzz/corpus/<name>, a finding to .build-fuzz/findings/<name>/. A finding stops
# the run with a non-zero status. To keep one as a regression test, copy it into fuzz/regressions/<name>/,
# fix the cause, and `make test` replays it from then on (Tests/FuzzingTests).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzMQTT FuzzRESP FuzzBackendConfig)
scratch=.build-fuzz

corpus_name() {
  case "$1" in
    FuzzMQTT) echo mqtt ;;
    FuzzRESP) echo resp ;;
    FuzzBackendConfig) echo backend-config ;;
    *) echo "unknown fuzz target $1 (FuzzMQTT, FuzzRESP, FuzzBackendConfig)" >&2; exit 2 ;;
  esac
}

for target in "${targets[@]}"; do
  name=$(corpus_name "$target")
  # lld, not the default gold: gold hits an internal error (dwarf_reader.cc) linking the sanitized objects.
  swift build -c release --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld --product "$target"
  mkdir -p "$scratch/corpus/$name" "$scratch/findings/$name" "fuzz/regressions/$name"
  echo "== $target: $seconds s"
  # Swift's own backtracer trips a false ASan report; libFuzzer prints the stack itself.
  if ! SWIFT_BACKTRACE=enable=no "$scratch/release/$target" \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$scratch/findings/$name/" \
        "$scratch/corpus/$name" "fuzz/corpus/$name" "fuzz/regressions/$name"; then
    echo "$target found a problem: $(ls -t "$scratch/findings/$name" | head -n 1)" >&2
    echo "replay it: swift run $target $scratch/findings/$name/<file>" >&2
    exit 1
  fi
done
