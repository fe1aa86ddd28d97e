#!/usr/bin/env bash
# Throughput and memory of the juicer executor on synthetic 2 KB JSONL documents.
#   (a) read -> write with no ops, (b) the four text filters; np 1 and 2.
#   (c) peak RSS on a 2 GB input (set MEM_GB=0 to skip).
# Usage: bench/run_bench.sh [--mb 300] [--mem-gb 2]   (needs build/juicer; /usr/bin/time for RSS)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=300
MEM_GB=2
REPEAT=${REPEAT:-3}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mb) MB="$2"; shift ;;
    --mem-gb) MEM_GB="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
BIN=build/juicer
W=${BENCH_DIR:-/tmp/juicer-bench}
mkdir -p "$W"
[[ -f $W/docs-$MB.jsonl ]] || python3 bench/gen_jsonl.py "$W/docs-$MB.jsonl" --mb "$MB" --doc-bytes 2048
IN=$W/docs-$MB.jsonl
BYTES=$(stat -c %s "$IN")
DOCS=$(wc -l < "$IN")

cat > "$W/noop.yaml" <<YAML
dataset_path: $IN
export_path: $W/out/noop.jsonl
YAML
cat > "$W/filters.yaml" <<YAML
dataset_path: $IN
export_path: $W/out/filters.jsonl
process:
  - text_length_filter: {min_len: 10}
  - words_num_filter: {min_num: 10}
  - alphanumeric_filter: {min_ratio: 0.25}
  - special_characters_filter: {max_ratio: 0.25}
YAML

run() {  # name recipe np: best of $REPEAT runs (the machine is shared; the minimum is the least disturbed)
  local best="" rss=0 t0 t1
  for _ in $(seq "$REPEAT"); do
    sync
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$W/rss" "$BIN" process --config "$2" --np "$3" --quiet 2>/dev/null
    t1=$(date +%s.%N)
    best=$(python3 -c "import sys; t=$t1-$t0; b='$best'; print(t if not b or t < float(b) else b)")
    rss=$(( $(cat "$W/rss") > rss ? $(cat "$W/rss") : rss ))
  done
  python3 - "$1" "$3" "$best" "$BYTES" "$DOCS" "$rss" <<'PY'
import sys
name, np, s, b, d, rss = sys.argv[1:]
s = float(s); np = int(np)
print("| %-22s | %d | %6.2f | %7.1f | %7.1f | %9.0f | %9.0f | %5.0f |" % (
    name, np, s, int(b) / s / 1e6, int(b) / s / 1e6 / np, int(d) / s, int(d) / s / np, int(rss) / 1024))
PY
}
echo "input: $IN ($((BYTES / 1000000)) MB, $DOCS docs, $(nproc) cores)"
echo "| workload               | np | seconds |    MB/s | MB/s/core |   docs/s | docs/s/core | RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for np in 1 2; do run "read->write (no ops)" "$W/noop.yaml" $np; done
for np in 1 2; do run "4 text filters" "$W/filters.yaml" $np; done

if [[ $MEM_GB != 0 ]]; then
  BIG=$W/docs-${MEM_GB}g.jsonl
  [[ -f $BIG ]] || python3 bench/gen_jsonl.py "$BIG" --mb "$((MEM_GB * 1000))" --doc-bytes 2048
  sed "s|$IN|$BIG|; s|filters.jsonl|big.jsonl|" "$W/filters.yaml" > "$W/big.yaml"
  cat >> "$W/big.yaml" <<YAML
  - document_deduplicator: {}
YAML
  /usr/bin/time -f "%M %e" -o "$W/rss" "$BIN" process --config "$W/big.yaml" --np 2 --quiet 2>/dev/null
  read -r rss secs < "$W/rss"
  echo "peak RSS on $(($(stat -c %s "$BIG") / 1000000)) MB input (4 filters + document_deduplicator, np 2): $((rss / 1024)) MB in ${secs} s"
fi
rm -rf "$W/out"
