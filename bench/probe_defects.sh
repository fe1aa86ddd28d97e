#!/usr/bin/env bash
# Issue-8 acceptance on imagetext-noisy: do the OPs that see a planted defect rank above the unrelated ones?
# For each dataset seed:
#   1. build imagetext-noisy (and, once, clean imagetext);
#   2. hold out families for the similarity scorer (bench/probe_defects_split.py): a clip xs scorer is
#      trained on the clean train items of 40% of the families, the probes run on the noisy samples of
#      the other 60% (so image_text_similarity comes from a scorer that never saw the probe data);
#   3. the single-OP part of `juicer sandbox probe` (11 stats, thirds + random, 3 probe seeds), with
#      --stratify-by __dj__meta__.source so that a stat cannot win by shifting the mix of sources;
# then bench/probe_defects_summary.py decides from the ground truth alone which stats detect defects
# (cleanest third holds >= 7.5% fewer defective samples) and tests whether they rank above the others.
# Also the paper's image-text finding on clean imagetext (thirds of CLIP similarity).
# About 25-30 minutes per dataset seed on 2 idle cores (102 clip xs probes of 300 x 128 samples).
# Usage: bench/probe_defects.sh [OUT_DIR] [DATASET_SEEDS...]   (default /tmp/probe-defects, seeds 42 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/probe-defects}
shift || true
SEEDS=("$@")
[[ ${#SEEDS[@]} -gt 0 ]] || SEEDS=(42 1 2)
J=$PWD/build/juicer
mkdir -p "$OUT"
[[ -f $OUT/clean42/train.jsonl ]] || $J datasets build imagetext --seed 42 --out "$OUT/clean42"
for s in "${SEEDS[@]}"; do
  [[ -f $OUT/noisy$s/train.jsonl ]] || $J datasets build imagetext-noisy --seed "$s" --out "$OUT/noisy$s"
done
noisy=()
for s in "${SEEDS[@]}"; do noisy+=("$OUT/noisy$s"); done
python3 bench/probe_defects_split.py "$OUT/clean42" "${noisy[@]}"
if [[ ! -f $OUT/scorer/model.pt ]]; then
  $J train --task clip --size xs --steps 300 --seed 1 --threads 2 --data "$OUT/clean42/scorer_train.jsonl" \
    --out "$OUT/scorer" --quiet
fi
sed "s#SCORER#$OUT/scorer#" bench/results/probe-defects/ops.yaml > "$OUT/ops.yaml"
runs=()
for s in "${SEEDS[@]}"; do
  $J sandbox probe --data "$OUT/noisy$s/probe_train.jsonl" --task clip --ops "$OUT/ops.yaml" --out "$OUT/run$s" \
    --seeds 3 --parallel 2 --steps 300 --stratify-by __dj__meta__.source \
    --skip recipes,scaling,refine,transfer,diversity
  runs+=("$OUT/run$s:$OUT/noisy$s/probe_ground_truth.jsonl")
done
python3 bench/probe_defects_summary.py "${runs[@]}"
for s in "${SEEDS[@]}"; do
  python3 bench/probe_defect_auc.py "$OUT/run$s/stats/data.jsonl" "$OUT/noisy$s/probe_ground_truth.jsonl"
done
# The paper's finding on clean data.
printf 'process:\n  - image_text_similarity_filter: {min_score: 0.0}\n' > "$OUT/sim.yaml"
$J sandbox probe --data "$OUT/clean42/train.jsonl" --task clip --ops "$OUT/sim.yaml" --out "$OUT/clean-sim" \
  --seeds 3 --parallel 2 --steps 300 --skip recipes,scaling,refine,transfer,diversity
