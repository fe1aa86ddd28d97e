#!/usr/bin/env bash
# Issue-8 acceptance on imagetext-noisy: for each dataset seed, the single-OP part of `juicer sandbox
# probe` (stats, thirds + random, 3 probe seeds, ranking) with 7 OPs that can see a planted defect and 2
# that cannot (bench/results/probe-defects/ops.yaml), then bench/probe_defects_summary.py: do the
# defect-detecting stats rank above the unrelated ones (OP-label permutation test, paired t over seeds)?
# Also the paper's image-text finding on clean imagetext (thirds of CLIP similarity).
# About 25 minutes per dataset seed on 2 idle cores (93 clip xs probes of 300 x 128 samples).
# Usage: bench/probe_defects.sh [OUT_DIR] [DATASET_SEEDS...]   (default /tmp/probe-defects, seeds 42 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/probe-defects}
shift || true
SEEDS=("$@")
[[ ${#SEEDS[@]} -gt 0 ]] || SEEDS=(42 1 2)
J=build/juicer
OPS=bench/results/probe-defects/ops.yaml
runs=()
for s in "${SEEDS[@]}"; do
  ds=$OUT/ds-seed$s
  [[ -f $ds/train.jsonl ]] || $J datasets build imagetext-noisy --seed "$s" --out "$ds"
  $J sandbox probe --data "$ds/train.jsonl" --task clip --ops "$OPS" --out "$OUT/seed$s" --seeds 3 --parallel 2 \
    --steps 300 --skip recipes,scaling,refine,transfer,diversity
  runs+=("$OUT/seed$s")
done
python3 bench/probe_defects_summary.py \
  --detect image_text_similarity,text_len,image_ocr_area_ratio,image_width,image_height,image_sharpness,lang_score,aspect_ratios \
  --unrelated image_colorfulness,char_rep_ratio "${runs[@]}"
# The paper's finding on clean data.
[[ -f $OUT/ds-clean/train.jsonl ]] || $J datasets build imagetext --out "$OUT/ds-clean"
printf 'process:\n  - image_text_similarity_filter: {min_score: 0.0}\n' > "$OUT/sim.yaml"
$J sandbox probe --data "$OUT/ds-clean/train.jsonl" --task clip --ops "$OUT/sim.yaml" --out "$OUT/clean-sim" \
  --seeds 3 --parallel 2 --steps 300 --skip recipes,scaling,refine,transfer,diversity
