#!/usr/bin/env bash
# (c) of issue 5: NSFW score throughput, one core (np 1), on real images: Tux Paint stamps
# (tuxpaint-stamps-default, `scripts/setup.sh --datasets-light`) then Openclipart PNGs (openclipart-png,
# --datasets), at least 2,000 images (N, default 2000). Measures image_nsfw_filter (decode + nsfwjs's
# MobileNetV2 in libtorch, one thread), image_deduplicator with method embedding (same network), and
# the bare decode time of the same files (bench/image_decode_loop.cpp). Records the machine's load
# average before and after, as the machine is shared. Writes bench/results/nsfw.md.
# Usage: [REPEAT=1] bench/nsfw_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
REPEAT=${REPEAT:-1}
BIN=$PWD/build/juicer
W=${BENCH_DIR:-/tmp/juicer-bench}/nsfw
mkdir -p "$W/out"
[[ -f third_party/models/nsfw_mobilenet_v2/model.json ]] || { echo "NSFW model absent: run scripts/setup.sh" >&2; exit 1; }
{ find /usr/share/tuxpaint/stamps -name '*.png' 2>/dev/null | sort
  find /usr/share/openclipart/png -name '*.png' 2>/dev/null | sort; } > "$W/all_paths.txt"
head -n "$N" "$W/all_paths.txt" > "$W/paths.txt"
COUNT=$(wc -l < "$W/paths.txt")
if (( COUNT < 2000 )); then
  echo "only $COUNT images found: install tuxpaint-stamps-default and openclipart-png (scripts/setup.sh --datasets)" >&2
  exit 1
fi
python3 - "$W/paths.txt" "$W/images.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for i, p in enumerate(l.strip() for l in f):
        out.write(json.dumps({"id": i, "text": "image %d" % i, "images": [p]}) + "\n")
PY
MB=$(python3 -c "import os,sys; print(round(sum(os.path.getsize(l.strip()) for l in open(sys.argv[1])) / 1e6, 1))" "$W/paths.txt")
g++ -O2 -std=c++20 bench/image_decode_loop.cpp -o "$W/decode_loop" $(pkg-config --cflags opencv4 | sed "s/-I/-isystem /g") $(pkg-config --libs opencv4)

recipe() {  # name ops-yaml
  cat > "$W/$1.yaml" <<YAML
dataset_path: $W/images.jsonl
export_path: $W/out/$1.jsonl
np: 1
process:
$2
YAML
}
recipe nsfw "  - image_nsfw_filter: {max_score: 1.0}"
recipe emb "  - image_deduplicator: {method: embedding, embedding_threshold: 0.95}"

run_best() {  # recipe -> "op_seconds wall_seconds kept" of the fastest run
  local best=""
  for _ in $(seq "$REPEAT"); do
    local t0 t1 s
    t0=$(date +%s.%N)
    s=$(OMP_NUM_THREADS=1 OPENCV_FOR_THREADS_NUM=1 "$BIN" process --config "$W/$1.yaml" --quiet 2>&1 |
        awk '/^op  /{t=1; next} /^samples:/{t=0} t && NF {s += $NF; n++} END {if (n) printf "%.3f", s}')
    t1=$(date +%s.%N)
    [[ -n $s ]] || { echo "recipe $1 failed" >&2; return 1; }
    local kept
    kept=$(wc -l < "$W/out/$1.jsonl")
    best=$(python3 -c "b='$best'; print('$s %.2f $kept' % ($t1 - $t0) if not b or $s < float(b.split()[0]) else b)")
  done
  echo "$best"
}
decode_best() {
  local best=""
  for _ in $(seq "$REPEAT"); do
    local s
    s=$(OPENCV_FOR_THREADS_NUM=1 "$W/decode_loop" "$W/paths.txt" | awk '{print $3}')
    best=$(python3 -c "t=$s; b='$best'; print(t if not b or t < float(b) else b)")
  done
  echo "$best"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
DECODE=$(decode_best)
NSFW=$(run_best nsfw)
EMB=$(run_best emb)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
OUT=bench/results/nsfw.md
{
  echo "# NSFW score benchmark (issue 5, workload c), one core (np 1)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs). $(date -u +%Y-%m-%d)."
  echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER (the machine is shared: a load"
  echo "above 1 means other jobs competed for the cores and the numbers are pessimistic)."
  echo "$COUNT real PNG images ($MB MB): Tux Paint stamps then Openclipart, one image per sample."
  echo "Model: nsfwjs@4.4.0 MobileNetV2 (224x224 input, ~0.3 GFLOP per image) in libtorch 1.13, one intra-op"
  echo "thread; OpenCV limited to one thread. Best of $REPEAT run(s) of \`juicer process\`; 'op seconds' is"
  echo "juicer's own time in the op (decode + preprocessing + network), 'wall' the whole command"
  echo "(libtorch start-up, model load, JSONL I/O included)."
  echo "Bare decode (cv::imread of each file, one thread): $DECODE s, $(python3 -c "print(round($COUNT/$DECODE))") images/s."
  echo
  echo "| workload | images | op seconds | wall seconds | images/s per core | kept |"
  echo "|---|---|---|---|---|---|"
  for row in "image_nsfw_filter (max_score 1.0)|$NSFW" "image_deduplicator, method embedding (0.95)|$EMB"; do
    label=${row%%|*}
    read -r s wall kept <<< "${row#*|}"
    python3 -c "print('| $label | $COUNT | %.2f | $wall | %.1f | $kept |' % ($s, $COUNT / max($s, 0.01)))"
  done
} > "$OUT"
cat "$OUT"
