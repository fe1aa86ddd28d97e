#!/usr/bin/env bash
# Video-op throughput in seconds per minute of 720p video, against the time of decoding alone
# (`ffmpeg -threads 1 -i x -f null -`, video and audio, one thread like one juicer worker):
#   probe   video_duration_filter + video_resolution_filter (container headers only)
#   motion  video_motion_score_filter at Data-Juicer's defaults (sampling_fps 2, full-size frames)
#   motion240  the same with size: 240 (Data-Juicer's own downscaling param)
#   3-op    video_duration_filter + video_motion_score_filter + video_nsfw_filter (uniform, 3 frames)
# each with np 1 and np 2 (CLIPS distinct files of one synthetic minute: testsrc2 1280x720 at 30 fps,
# libx264 veryfast crf 23, AAC audio; distinct paths so no per-worker cache is shared between samples).
# Writes bench/results/video/video_ops.md. Usage: [CLIPS=4] bench/video_bench.sh (at least 2 per worker)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/build/juicer
CLIPS=${CLIPS:-4}
W=${BENCH_DIR:-/tmp/juicer-bench}/video
OUT=bench/results/video
mkdir -p "$W/out" "$OUT"
SRC=$W/clip720.mp4
if [[ ! -s $SRC ]]; then
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=s=1280x720:r=30:d=60" -f lavfi -i "sine=d=60" \
    -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -shortest "$SRC"
fi
: > "$W/clips.jsonl"
for i in $(seq 1 "$CLIPS"); do
  ln -sf "$SRC" "$W/clip_$i.mp4"
  echo "{\"text\": \"clip $i\", \"videos\": [\"$W/clip_$i.mp4\"]}" >> "$W/clips.jsonl"
done
# 200 samples for the header-only probe (symlinks: distinct paths, one file in the page cache)
: > "$W/probe.jsonl"
for i in $(seq 1 200); do
  ln -sf "$SRC" "$W/p_$i.mp4"
  echo "{\"text\": \"p $i\", \"videos\": [\"$W/p_$i.mp4\"]}" >> "$W/probe.jsonl"
done
MINUTES=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$SRC" | awk '{print $1 / 60}')

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

t0=$(now); ffmpeg -nostdin -threads 1 -i "$SRC" -f null - 2>/dev/null; t1=$(now)
DECODE=$(awk -v s="$(secs "$t0" "$t1")" -v m="$MINUTES" 'BEGIN { printf "%.2f", s / m }')
# np 2 is compared with two one-thread decodes side by side (the same two cores' worth of work)
t0=$(now)
ffmpeg -nostdin -threads 1 -i "$SRC" -f null - 2>/dev/null &
ffmpeg -nostdin -threads 1 -i "$SRC" -f null - 2>/dev/null
wait
t1=$(now)
DECODE2=$(awk -v s="$(secs "$t0" "$t1")" -v m="$MINUTES" 'BEGIN { printf "%.2f", s / (2 * m) }')
t0=$(now); ffmpeg -nostdin -i "$SRC" -f null - 2>/dev/null; t1=$(now)
DECODE_AUTO=$(awk -v s="$(secs "$t0" "$t1")" -v m="$MINUTES" 'BEGIN { printf "%.2f", s / m }')

run() {  # name np input ops-yaml
  cat > "$W/$1.yaml" <<YAML
dataset_path: $3
export_path: $W/out/$1.jsonl
np: $2
process:
$4
YAML
  local a b
  a=$(now)
  "$BIN" process --config "$W/$1.yaml" > "$W/$1.log" 2>&1
  b=$(now)
  secs "$a" "$b"
}

PROBE_OPS="  - video_duration_filter:
  - video_resolution_filter:"
MOTION_OPS="  - video_motion_score_filter:"
MOTION240_OPS="  - video_motion_score_filter:
      size: 240"
THREE_OPS="  - video_duration_filter:
  - video_motion_score_filter:
  - video_nsfw_filter:
      frame_sampling_method: uniform
      frame_num: 3"

{
  echo "# Video ops: seconds per minute of 720p video"
  echo
  echo "Input: $CLIPS x one synthetic minute (testsrc2 1280x720, 30 fps, libx264 veryfast crf 23, AAC)."
  echo "Machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds)."
  echo "Decode alone (ffmpeg -threads 1 -i x -f null -): **$DECODE s per minute**; two such decodes side by"
  echo "side: $DECODE2 s per minute of video (the np 2 baseline); ffmpeg's own threading on all cores: $DECODE_AUTO s."
  echo
  echo "| recipe | np | wall s | s per minute of video | x decode |"
  echo "|---|---|---|---|---|"
} > "$OUT/video_ops.md"

row() {  # label np wall minutes
  local d=$DECODE
  [[ $2 == 2 ]] && d=$DECODE2
  awk -v l="$1" -v n="$2" -v w="$3" -v m="$4" -v d="$d" \
    'BEGIN { printf "| %s | %d | %.2f | %.2f | %.2f |\n", l, n, w, w / m, (w / m) / d }' >> "$OUT/video_ops.md"
}

VM=$(awk -v m="$MINUTES" -v c="$CLIPS" 'BEGIN { print m * c }')
PM=$(awk -v m="$MINUTES" 'BEGIN { print m * 200 }')
for np in 1 2; do
  row "metadata probe (duration + resolution), 200 files" "$np" "$(run probe_np$np "$np" "$W/probe.jsonl" "$PROBE_OPS")" "$PM"
  row "motion score, DJ defaults (2 fps, full size)" "$np" "$(run motion_np$np "$np" "$W/clips.jsonl" "$MOTION_OPS")" "$VM"
  row "motion score, size 240" "$np" "$(run motion240_np$np "$np" "$W/clips.jsonl" "$MOTION240_OPS")" "$VM"
  row "duration + motion + NSFW (3 uniform frames)" "$np" "$(run three_np$np "$np" "$W/clips.jsonl" "$THREE_OPS")" "$VM"
done
echo >> "$OUT/video_ops.md"
echo "Per-op times of the np 1 runs (juicer's summary):" >> "$OUT/video_ops.md"
echo '```' >> "$OUT/video_ops.md"
for n in probe_np1 motion_np1 motion240_np1 three_np1; do grep -E "filter +filter" "$W/$n.log" >> "$OUT/video_ops.md" || true; done
echo '```' >> "$OUT/video_ops.md"
cat "$OUT/video_ops.md"
