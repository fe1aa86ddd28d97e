#!/usr/bin/env bash
# Measurements behind the probe-model claims (docs/probes.md, README): budget curves of clip/caption/lm
# against chance / nearest-neighbour / unigram baselines, and clean vs noisy data over 3 seeds.
# Two jobs run side by side with one torch thread each (a 2-core machine). ~20 minutes.
# Usage: bench/probe_acceptance.sh [OUT_DIR]   (datasets are built under $DS, default /tmp/juicer-ds)
set -euo pipefail
cd "$(dirname "$0")/.."
J=${JUICER:-$PWD/build/juicer}
OUT=${1:-bench/results/probes}
DS=${DS:-/tmp/juicer-ds}
JOBS=${JOBS:-2}
mkdir -p "$OUT" "$DS"

build() {  # name dir [env]
  [[ -f $2/MANIFEST.sha256 ]] || env ${3:-} "$J" datasets build "$1" --out "$2" >&2
}
build imagetext "$DS/imagetext"
build imagetext-noisy "$DS/imagetext-noisy"
build imagetext-noisy "$DS/imagetext-mismatch50" "JUICER_NOISE_RATES=mismatch=0.5,boilerplate=0,foreign_language=0,near_duplicate=0,blur=0,jpeg=0,tiny=0,aspect_crop=0,overlay_text=0"
build text-en "$DS/text-en"
IT=$DS/imagetext

# One job per line: name task data steps seed
jobs=$(mktemp)
for s in 250 500 1000 2000; do echo "clip_steps$s clip $IT/train.jsonl $s 0"; done >>"$jobs"
for s in 375 1500 3000; do echo "caption_steps$s caption $IT/train.jsonl $s 0"; done >>"$jobs"
for s in 250 1000 2000; do echo "lm_steps$s lm $DS/text-en/train.jsonl $s 0"; done >>"$jobs"
for seed in 1 2 3; do
  echo "clean_seed$seed clip $IT/train.jsonl 1000 $seed"
  echo "noisy_seed$seed clip $DS/imagetext-noisy/train.jsonl 1000 $seed"
  echo "mismatch50_seed$seed clip $DS/imagetext-mismatch50/train.jsonl 1000 $seed"
done >>"$jobs"

run_job() {
  set -euo pipefail
  read -r name task data steps seed <<<"$1"
  d=$OUT/$name
  if [[ -f $d/metrics.json ]]; then return 0; fi
  "$J" train --task "$task" --data "$data" --out "$d" --steps "$steps" --seed "$seed" --threads 1 --quiet 2>"$d.log" || { cat "$d.log" >&2; return 1; }
  case $task in
    clip) "$J" eval --model "$d" --data "$IT/eval_zeroshot.jsonl" --data "$IT/eval_retrieval.jsonl" >/dev/null ;;
    caption) "$J" eval --model "$d" --data "$IT/eval_caption.jsonl" >/dev/null ;;
    lm) "$J" eval --model "$d" --data "$DS/text-en/eval_lm.jsonl" >/dev/null ;;
  esac
  echo "done $name ($(python3 -c "import json;print(round(json.load(open('$d/train.json'))['seconds_total']))") s)" >&2
}
export -f run_job
export J OUT IT DS
# Warm the image cache once so parallel jobs do not decode the same images twice.
"$J" train --task clip --data "$IT/train.jsonl" --out "$OUT/.warm" --steps 1 --batch-size 2 --quiet 2>/dev/null || true
"$J" train --task clip --data "$DS/imagetext-noisy/train.jsonl" --out "$OUT/.warm" --steps 1 --batch-size 2 --quiet 2>/dev/null || true
"$J" train --task clip --data "$DS/imagetext-mismatch50/train.jsonl" --out "$OUT/.warm" --steps 1 --batch-size 2 --quiet 2>/dev/null || true
rm -rf "$OUT/.warm"
tr '\n' '\0' <"$jobs" | xargs -0 -P "$JOBS" -I{} bash -c 'run_job "$@"' _ {}
rm -f "$jobs"

# Baselines (no training).
[[ -f $OUT/baseline_caption.json ]] || "$J" baseline --task caption --train "$IT/train.jsonl" --data "$IT/eval_caption.jsonl" --threads 2 --out "$OUT/baseline_caption.json" >/dev/null
[[ -f $OUT/baseline_lm.json ]] || "$J" baseline --task lm --model "$OUT/lm_steps1000" --train "$DS/text-en/train.jsonl" --data "$DS/text-en/eval_lm.jsonl" --out "$OUT/baseline_lm.json" >/dev/null
python3 bench/probe_summary.py "$OUT" | tee "$OUT/summary.md"
