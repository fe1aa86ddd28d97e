#!/usr/bin/env bash
# MPI scaling (issue 10): a 6-op text recipe and document_minhash_deduplicator, 1 process vs
# `mpirun -n 2` (np 1 per rank), wall time (best of 2), per-rank peak RSS (GNU time), and the cores a
# 1 TB run would need, from the measured per-core rates. Writes bench/results/mpi/README.md and
# bench/results/mpi/runs.csv. Usage: bench/mpi_bench.sh [--mb 120] [--report-only (from runs.csv)]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=120
REPORT_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mb) MB="$2"; shift ;;
    --report-only) REPORT_ONLY=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
BIN=$(realpath build/juicer)
W=${BENCH_DIR:-/tmp/juicer-mpi-bench}
OUTDIR=bench/results/mpi
mkdir -p "$W" "$OUTDIR"
# Open MPI as root (this machine runs as root) and over shared memory only, for these runs.
MPI_ENV=(env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
         OMPI_MCA_btl_vader_single_copy_mechanism=none)
if [[ $REPORT_ONLY -eq 0 ]]; then
DOCS=$W/docs-$MB.jsonl
ND=$W/neardup-$MB.jsonl
[[ -f $DOCS ]] || python3 bench/gen_jsonl.py "$DOCS" --mb "$MB" --doc-bytes 2048
[[ -f $ND ]] || python3 bench/gen_near_dups.py "$ND" "$W/neardup-$MB.truth.jsonl" --mb "$MB"

recipe() {  # name input ops-yaml
  cat > "$W/$1.yaml" <<YAML
dataset_path: $2
np: 1
process:
$3
YAML
}
recipe six_ops "$DOCS" "  - whitespace_normalization_mapper: {}
  - text_length_filter: {min_len: 10}
  - words_num_filter: {min_num: 10}
  - alphanumeric_filter: {min_ratio: 0.25}
  - special_characters_filter: {max_ratio: 0.5}
  - character_repetition_filter: {rep_len: 10, max_ratio: 0.5}"
recipe minhash "$ND" "  - document_minhash_deduplicator: {}"

run() {  # recipe ranks -> "wall cpu_s_per_rank(a/b) max_rss_kb_per_rank..." (the run with the best wall of 3)
  local r=$1 n=$2 best="" rss="" cpu=""
  for _ in 1 2 3; do
    rm -rf "$W/out-$r-$n" "$W/work-$r-$n"
    local t0 t1
    t0=$(date +%s.%N)
    if [[ $n -eq 1 ]]; then
      /usr/bin/time -f "RSS %M %U %S" "$BIN" process --config "$W/$r.yaml" --export_path "$W/out-$r-$n/out.jsonl" \
        --work_dir "$W/work-$r-$n" --quiet 2> "$W/log-$r-$n"
    else
      "${MPI_ENV[@]}" mpirun -n "$n" /usr/bin/time -f "RSS %M %U %S" "$BIN" process --config "$W/$r.yaml" \
        --export_path "$W/out-$r-$n/out.jsonl" --work_dir "$W/work-$r-$n" --quiet 2> "$W/log-$r-$n"
    fi
    t1=$(date +%s.%N)
    local wall
    wall=$(python3 -c "print(f'{$t1-$t0:.3f}')")
    if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $wall < $best else 1)"; then
      best=$wall
      rss=$(sed -n 's/^RSS \([0-9]*\) .*$/\1/p' "$W/log-$r-$n" | tr '\n' ' ')
      cpu=$(awk '/^RSS /{printf "%s%.3f", (n++ ? "/" : ""), $3 + $4}' "$W/log-$r-$n")
    fi
  done
  echo "$best $cpu $rss"
}

{
  echo "workload,input_bytes,docs,ranks,wall_s,cpu_s_per_rank,max_rss_kb_per_rank"
  for r in six_ops minhash; do
    in=$([[ $r == six_ops ]] && echo "$DOCS" || echo "$ND")
    bytes=$(stat -c %s "$in")
    docs=$(wc -l < "$in")
    for n in 1 2; do
      read -r wall cpu rss < <(run "$r" "$n")
      echo "$r,$bytes,$docs,$n,$wall,$cpu,\"$rss\""
    done
    # the 2-rank output is the 1-process output
    python3 - "$W/out-$r-1/out.jsonl" "$W/out-$r-2/out.manifest.json" <<'PY' >&2
import json, os, sys
one = open(sys.argv[1], "rb").read()
m = json.load(open(sys.argv[2]))
two = b"".join(open(os.path.join(os.path.dirname(sys.argv[2]), f), "rb").read() for p in m["parts"] for f in p["files"])
assert one == two, "2-rank output differs from the 1-process output"
print(f"{sys.argv[1]}: 2-rank output identical ({len(one)} bytes)")
PY
  done
} > "$OUTDIR/runs.csv"
fi
t0=$(date +%s.%N); "${MPI_ENV[@]}" mpirun -n 2 /bin/true; t1=$(date +%s.%N)
MPIRUN_S=$(python3 -c "print(f'{$t1-$t0:.2f}')")

python3 - "$OUTDIR/runs.csv" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$MPIRUN_S" <<'PY' > "$OUTDIR/README.md"
import csv, sys, datetime
rows = list(csv.DictReader(open(sys.argv[1])))
cores, cpu, load, mpirun_s = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
print("# MPI scaling (issue 10)\n")
print(f"Machine: {cores} cores ({cpu}), {datetime.date.today()}; load average at the end {load}: the two "
      "cores were shared with other engineers' builds, and the kernel's autogroup scheduling gives one "
      "session (all ranks of one mpirun) the same CPU share however many processes it runs, so the *wall* "
      "speed-up under that load says nothing about the code. The *CPU* speed-up is the single process's "
      "CPU seconds over the busiest rank's (user + system, GNU time): the speed-up on two otherwise idle "
      "cores, less waiting in collectives (mpirun itself takes " + f"{mpirun_s:.2f} s to start and stop 2 ranks of /bin/true"
      "). `bench/mpi_bench.sh`: best wall of 3 runs, np 1 per rank; the 2-rank runs include the input "
      "counting pass and the MPI exchanges. The 2-rank output was checked byte-identical to the "
      "1-process output.\n")
print("| workload | input | ranks | wall s | wall speed-up | CPU s per rank | CPU speed-up | MB per CPU-second | peak RSS per rank (MB) |")
print("|---|---|---|---|---|---|---|---|---|")
base, base_cpu, rate = {}, {}, {}
for r in rows:
    w, n, t, b = r["workload"], int(r["ranks"]), float(r["wall_s"]), int(r["input_bytes"])
    cpus = [float(x) for x in r["cpu_s_per_rank"].split("/")]
    if n == 1:
        base[w], base_cpu[w] = t, cpus[0]
    rss = ", ".join(f"{int(x)/1024:.0f}" for x in r["max_rss_kb_per_rank"].split())
    rate[(w, n)] = b / sum(cpus) / 1e6
    label = "6-op text recipe" if w == "six_ops" else "MinHash dedup (DJ defaults)"
    print(f"| {label} | {b/1e6:.0f} MB, {int(r['docs'])} docs | {n} | {t:.2f} | {base[w]/t:.2f}x | "
          f"{', '.join(f'{c:.2f}' for c in cpus)} | {base_cpu[w]/max(cpus):.2f}x | {rate[(w, n)]:.1f} | {rss} |")
print("\n## Cores for 1 TB\n")
print("From the 2-rank runs' MB per CPU-second (so the MPI exchange, the counting pass and the barriers' "
      "re-reading are included), assuming it holds at scale: the per-sample work is embarrassingly "
      "parallel; MinHash's exchange is one (key, cluster root) pair of 24 bytes per band and distinct key, "
      "25 bands, i.e. ~0.6 KB per 2 KB document, and its cross-rank edges are few.\n")
print("| workload | MB per CPU-second | core-hours per TB | cores for 1 TB in 1 h | in 10 min |")
print("|---|---|---|---|---|")
for w, label in (("six_ops", "6-op text recipe"), ("minhash", "MinHash dedup")):
    c = rate[(w, 2)]
    ch = 1e12 / (c * 1e6) / 3600
    print(f"| {label} | {c:.1f} | {ch:,.0f} | {ch:,.0f} | {ch*6:,.0f} |")
print("\nThe per-core rates were measured on loaded cores (shared caches, other builds): the same "
      "single-process runs on a nearly idle core are about twice as fast (README's Performance section: "
      "46 MB/s for a 5-op recipe, 31-34 MB/s for MinHash), so these core counts are upper bounds.")
print("\nNot measured here: more than one node (network bandwidth for the MinHash exchange), and more than 2 "
      "ranks (2 cores); the 1 TB figures are estimates from measured per-core rates, not runs.")
PY
cat "$OUTDIR/README.md"
