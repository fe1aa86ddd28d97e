#!/usr/bin/env bash
# Issue-6 text benchmarks, one core each (np 1):
#   (a) the 5-op text recipe (length, words, alnum, special chars, character repetition) on 2 KB docs;
#   (c) document_minhash_deduplicator (DJ defaults) on a corpus with planted near-duplicates, with
#       precision/recall of the removed documents against exact 5-gram Jaccard >= 0.7,
#   plus document_simhash_deduplicator on the same corpus for comparison.
# Writes bench/results/text_ops.md. Usage: bench/text_ops_bench.sh [--mb 100]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mb) MB="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
BIN=build/juicer
W=${BENCH_DIR:-/tmp/juicer-bench}
mkdir -p "$W/out"
DOCS_IN=$W/docs-$MB.jsonl
ND_IN=$W/neardup-$MB.jsonl
ND_TRUTH=$W/neardup-$MB.truth.jsonl
[[ -f $DOCS_IN ]] || python3 bench/gen_jsonl.py "$DOCS_IN" --mb "$MB" --doc-bytes 2048
[[ -f $ND_IN ]] || python3 bench/gen_near_dups.py "$ND_IN" "$ND_TRUTH" --mb "$MB"

recipe() {  # name input ops-yaml
  cat > "$W/$1.yaml" <<YAML
dataset_path: $2
export_path: $W/out/$1.jsonl
np: 1
process:
$3
YAML
}
# Thresholds every synthetic doc passes, so that each op runs on every doc (gen_jsonl.py's docs have
# ~30% special characters: DJ's default max_ratio 0.25 would drop two thirds before the last op).
recipe five_ops "$DOCS_IN" "  - text_length_filter: {min_len: 10}
  - words_num_filter: {min_num: 10}
  - alphanumeric_filter: {min_ratio: 0.25}
  - special_characters_filter: {max_ratio: 0.5}
  - character_repetition_filter: {rep_len: 10, max_ratio: 0.5}"
recipe noop "$DOCS_IN" "  []"
recipe minhash "$ND_IN" "  - document_minhash_deduplicator: {}"
recipe simhash "$ND_IN" "  - document_simhash_deduplicator: {}"

best_of() {  # recipe -> best of RUNS (default 5) runs: processing seconds (juicer's own summary: read, ops, write) and wall
  local best="" wall=""
  for _ in $(seq "${RUNS:-5}"); do
    local t0 t1 s
    t0=$(date +%s.%N)
    s=$("$BIN" process --config "$W/$1.yaml" --quiet 2>&1 | sed -n 's/.* MB in \([0-9.]*\) s .*/\1/p')
    t1=$(date +%s.%N)
    best=$(python3 -c "t=$s; b='$best'; print(t if not b or t < float(b) else b)")
    wall=$(python3 -c "t=$t1-$t0; b='$wall'; print(t if not b or t < float(b) else b)")
  done
  echo "$best $wall"
}

OUT=bench/results/text_ops.md
{
  echo "# Text-op benchmarks (issue 6), one core (np 1)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs). $(date -u +%Y-%m-%d)."
  echo "Best of ${RUNS:-5} runs of \`juicer process\`. 'seconds' is juicer's own processing time (read, ops, write:"
  echo "the summary line), 'wall' the whole process including start-up (~0.15-0.3 s, mostly loading"
  echo "OpenCV's shared libraries; see docs/performance.md)."
  echo
  echo "| workload | input | seconds | wall | docs/s per core | MB/s per core |"
  echo "|---|---|---|---|---|---|"
  for r in noop five_ops; do
    read -r s wall < <(best_of $r)
    python3 - "$r" "$DOCS_IN" "$s" "$wall" <<'PY'
import os, sys
r, path, s, wall = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
n = sum(1 for _ in open(path, "rb")); b = os.path.getsize(path)
print(f"| {r} | {b/1e6:.0f} MB, {n} docs of 2 KB | {s:.2f} | {wall:.2f} | {n/s:,.0f} | {b/s/1e6:.1f} |")
PY
  done
  for r in minhash simhash; do
    read -r s wall < <(best_of $r)
    python3 - "$r" "$ND_IN" "$ND_TRUTH" "$W/out/$r.jsonl" "$s" "$wall" <<'PY'
import json, os, sys
r, inp, truth, out, s, wall = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
ids = [json.loads(l)["id"] for l in open(inp)]
kept = {json.loads(l)["id"] for l in open(out)}
removed = set(ids) - kept
t = [json.loads(l) for l in open(truth)]
should = {x["id"] for x in t if x["jaccard"] >= 0.7}
tp = len(removed & should)
prec = tp / max(1, len(removed)); rec = tp / max(1, len(should))
b = os.path.getsize(inp)
print(f"| {r} dedup | {b/1e6:.0f} MB, {len(ids)} docs, {len(should)} planted near-dups (J>=0.7), "
      f"{sum(1 for x in t if x['jaccard'] < 0.7)} planted far copies | {s:.2f} | {wall:.2f} | {len(ids)/s:,.0f} | {b/s/1e6:.1f} "
      f"(precision {prec:.3f}, recall {rec:.3f}) |")
PY
  done
} | tee "$OUT"
