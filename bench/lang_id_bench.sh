#!/usr/bin/env bash
# Throughput of language_id_score_filter (fastText lid.176.ftz) on synthetic ~2 KB English JSONL docs.
# Runs `juicer process` with no ops and with the filter (np 1, best of $REPEAT), and reports docs/s
# end to end and for the op alone (time with the op minus time without it).
# Usage: bench/lang_id_bench.sh [--mb 40]   (needs build/juicer and scripts/setup.sh's npm data)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=40
REPEAT=${REPEAT:-3}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mb) MB="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
BIN=build/juicer
W=${BENCH_DIR:-/tmp/juicer-bench}
mkdir -p "$W"
IN=$W/docs-$MB.jsonl
[[ -f $IN ]] || python3 bench/gen_jsonl.py "$IN" --mb "$MB" --doc-bytes 2048
DOCS=$(wc -l < "$IN")
BYTES=$(stat -c %s "$IN")

cat > "$W/lid_noop.yaml" <<YAML
dataset_path: $IN
export_path: $W/out/noop.jsonl
YAML
cat > "$W/lid.yaml" <<YAML
dataset_path: $IN
export_path: $W/out/lid.jsonl
process:
  - language_id_score_filter: {lang: en, min_score: 0.5}
YAML

best_time() {  # recipe -> seconds (minimum of $REPEAT runs: the machine is shared)
  local best="" t0 t1
  for _ in $(seq "$REPEAT"); do
    t0=$(date +%s.%N)
    "$BIN" process --config "$1" --np 1 --quiet 2>/dev/null
    t1=$(date +%s.%N)
    best=$(python3 -c "t=$t1-$t0; b='$best'; print(t if not b or t < float(b) else b)")
  done
  echo "$best"
}
noop=$(best_time "$W/lid_noop.yaml")
lid=$(best_time "$W/lid.yaml")
kept=$(wc -l < "$W/out/lid.jsonl")
python3 - "$DOCS" "$BYTES" "$noop" "$lid" "$kept" <<'PY'
import sys
docs, size, noop, lid, kept = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"input: {docs} docs, {size / docs:.0f} bytes/doc, {size / 1e6:.1f} MB; np 1")
print("| run | seconds | docs/s (1 core) |")
print("|---|---|---|")
print(f"| read -> write, no ops | {noop:.2f} | {docs / noop:,.0f} |")
print(f"| language_id_score_filter (end to end) | {lid:.2f} | {docs / lid:,.0f} |")
print(f"| language_id_score_filter alone (difference) | {lid - noop:.2f} | {docs / max(lid - noop, 1e-9):,.0f} |")
print(f"kept {kept} of {docs} as en >= 0.5")
PY
rm -rf "$W/out"
