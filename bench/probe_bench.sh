#!/usr/bin/env bash
# Training throughput of the probe models: every task x size on 1 and 2 torch threads, with the share of
# training time spent gathering batches (data loading) and the one-time preparation (image decode or
# cache read, tokenisation). Usage: bench/probe_bench.sh [OUT.md]   (datasets under $DS, default /tmp/juicer-ds)
set -euo pipefail
cd "$(dirname "$0")/.."
J=${JUICER:-$PWD/build/juicer}
DS=${DS:-/tmp/juicer-ds}
OUT=${1:-bench/results/probe_throughput.md}
STEPS=${STEPS:-80}
mkdir -p "$(dirname "$OUT")" "$DS"
[[ -f $DS/imagetext/MANIFEST.sha256 ]] || "$J" datasets build imagetext --out "$DS/imagetext" >&2
[[ -f $DS/text-en/MANIFEST.sha256 ]] || "$J" datasets build text-en --out "$DS/text-en" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "| task | size | params | threads | samples/s | tokens/s | data loading | prep s (images / tokens) |"
  echo "|---|---|---|---|---|---|---|---|"
  for task in clip caption lm; do
    data=$DS/imagetext/train.jsonl
    [[ $task == lm ]] && data=$DS/text-en/train.jsonl
    for size in xs s m; do
      for th in 1 2; do
        d=$tmp/$task-$size-$th
        "$J" train --task "$task" --size "$size" --data "$data" --out "$d" --steps "$STEPS" --threads "$th" --quiet \
          --set checkpoint_every=0 2>/dev/null
        python3 - "$d/train.json" "$d/config.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
tok = f"{t['samples_per_s'] * c['ctx']:,.0f}" if t["task"] == "lm" else ""
print(f"| {t['task']} | {t['size']} | {t['params']:,} | {t['threads']} | {t['samples_per_s']:,.0f} | {tok} | "
      f"{100 * t['data_loading_share']:.1f}% | {t['seconds_images']:.1f} / {t['seconds_tokenize']:.1f} |")
PY
      done
    done
  done
} | tee "$OUT"
