#!/usr/bin/env bash
# Stops what start_cluster.sh DIR started (by the pid files under DIR).
dir=${1:?usage: stop_cluster.sh DIR}
for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null
done
for _ in $(seq 1 20); do
  alive=0
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1
  done
  [[ $alive -eq 0 ]] && exit 0
  sleep 0.25
done
exit 0
