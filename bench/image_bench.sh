#!/usr/bin/env bash
# Image-op throughput, one core (np 1), on real images: Tux Paint stamps (tuxpaint-stamps-default,
# installed by `scripts/setup.sh --datasets-light`) plus Openclipart PNGs (openclipart-png, --datasets)
# when present, at least 2,000 images (N, default 3000):
#   (a) image_shape_filter + image_aspect_ratio_filter + image_size_filter (header / stat only),
#   (b) image_face_ratio_filter with the Haar cascade, and with YuNet when its model is present,
#   (d) image_deduplicator (phash),
#   plus image_sharpness_filter and the bare decode time (cv::imread loop, bench/image_decode_loop.cpp)
#   that the decoding ops are compared with.
# Writes bench/results/image_ops.md. Usage: [REPEAT=3] bench/image_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}
REPEAT=${REPEAT:-3}
BIN=$PWD/build/juicer
W=${BENCH_DIR:-/tmp/juicer-bench}/images
mkdir -p "$W/out"
{ find /usr/share/tuxpaint/stamps -name '*.png' 2>/dev/null | sort
  find /usr/share/openclipart/png -name '*.png' 2>/dev/null | sort; } > "$W/all_paths.txt"
head -n "$N" "$W/all_paths.txt" > "$W/paths.txt"
COUNT=$(wc -l < "$W/paths.txt")
if (( COUNT < 2000 )); then
  echo "only $COUNT images found: install tuxpaint-stamps-default and openclipart-png (scripts/setup.sh --datasets)" >&2
  exit 1
fi
ALL=$(wc -l < "$W/all_paths.txt")
python3 - "$W/paths.txt" "$W/images.jsonl" "$W/all_paths.txt" "$W/all_images.jsonl" <<'PY'
import json, sys
for src, dst in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    with open(src) as f, open(dst, "w") as out:
        for i, p in enumerate(l.strip() for l in f):
            out.write(json.dumps({"id": i, "text": "image %d" % i, "images": [p]}) + "\n")
PY
MB=$(python3 -c "import os,sys; print(round(sum(os.path.getsize(l.strip()) for l in open(sys.argv[1])) / 1e6, 1))" "$W/paths.txt")
g++ -O2 -std=c++20 bench/image_decode_loop.cpp -o "$W/decode_loop" $(pkg-config --cflags opencv4 | sed "s/-I/-isystem /g") $(pkg-config --libs opencv4)

recipe() {  # name ops-yaml [input]
  cat > "$W/$1.yaml" <<YAML
dataset_path: ${3:-$W/images.jsonl}
export_path: $W/out/$1.jsonl
np: 1
process:
$2
YAML
}
recipe noop "  []"
recipe header "  - image_shape_filter: {}
  - image_aspect_ratio_filter: {min_ratio: 0.0, max_ratio: 1000.0}
  - image_size_filter: {}" "$W/all_images.jsonl"
recipe haar "  - image_face_ratio_filter: {max_ratio: 1.0}"
recipe yunet "  - image_face_ratio_filter: {max_ratio: 1.0, detector: yunet}"
recipe phash "  - image_deduplicator: {method: phash}"
recipe sharp "  - image_sharpness_filter: {}"
recipe sharp_phash "  - image_sharpness_filter: {}
  - image_deduplicator: {method: phash}"

best_of() {  # recipe -> best of $REPEAT: the ops' own seconds (sum of the op table's column)
  local best=""
  for _ in $(seq "$REPEAT"); do
    local s
    s=$(OMP_NUM_THREADS=1 OPENCV_FOR_THREADS_NUM=1 "$BIN" process --config "$W/$1.yaml" --quiet 2>&1 |
        awk '/^op  /{t=1; next} /^samples:/{t=0} t && NF {s += $NF; n++} END {if (n) printf "%.3f", s}')
    [[ -n $s ]] || { echo "recipe $1 failed" >&2; return 1; }
    best=$(python3 -c "t=$s; b='$best'; print(t if not b or t < float(b) else b)")
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

DECODE=$(decode_best)
OUT=bench/results/image_ops.md
{
  echo "# Image-op benchmarks (issue 5), one core (np 1)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs). $(date -u +%Y-%m-%d)."
  echo "$COUNT real PNG images ($MB MB): Tux Paint stamps then Openclipart, one image per sample."
  echo "OpenCV's own thread pool is limited to one thread (OPENCV_FOR_THREADS_NUM=1) in every run."
  echo "Best of $REPEAT run(s) of \`juicer process\`; 'op seconds' is the sum of juicer's own per-op times"
  echo "(the op table of the run summary: reading, parsing and writing JSONL excluded; 10 ms resolution)."
  echo "Workload (a) runs over all $ALL images found, the others over the first $COUNT."
  echo "Bare decode: cv::imread of each of the $COUNT files, one thread: $DECODE s,"
  echo "$(python3 -c "print(round($COUNT/$DECODE))") images/s."
  echo
  echo "| workload | images | op seconds | images/s per core | op time / bare decode |"
  echo "|---|---|---|---|---|"
  row() {  # label recipe images
    local s
    s=$(best_of "$2") || { echo "| $1 | $3 | failed | | |"; return; }
    python3 - "$1" "$s" "$3" "$COUNT" "$DECODE" <<'PY'
import sys
label, s, n, count, dec = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
op = max(s, 0.01)
print(f"| {label} | {n} | {s:.2f} | {n / op:,.0f} | {op / (dec * n / count):.2f} |")
PY
  }
  row "(a) shape + aspect ratio + size (header only)" header "$ALL"
  row "(b) face ratio, Haar (haarcascade_frontalface_alt)" haar "$COUNT"
  if [[ -f ../shared/models/face_detection_yunet_320.onnx || -f ${JUICER_MODELS_DIR:-/nonexistent}/face_detection_yunet_320.onnx ]]; then
    row "(b) face ratio, YuNet" yunet "$COUNT"
  else
    echo "| (b) face ratio, YuNet | model absent | | | |"
  fi
  row "(d) image_deduplicator, phash" phash "$COUNT"
  row "sharpness (decode + Laplacian)" sharp "$COUNT"
  row "sharpness + phash dedup (one decode, cached)" sharp_phash "$COUNT"
} > "$OUT"
cat "$OUT"
