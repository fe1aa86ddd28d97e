#!/usr/bin/env bash
# A stand-in external trainer for the sandbox tests: "trains" on a JSONL pool (counts its lines and
# characters), sleeps a little like real work, writes metrics.json and prints a loss line to its log.
# usage: e2e_trainer.sh POOL OUT_DIR [SLEEP_S]
set -euo pipefail
pool="$1"; out="$2"; nap="${3:-0.2}"
mkdir -p "$out"
lines=$(wc -l < "$pool")
chars=$(wc -c < "$pool")
sleep "$nap"
echo "epoch 1 loss=0.9"
echo "epoch 2 loss=$(awk -v l="$lines" 'BEGIN { printf "%.4f", 1.0 / (1 + l) }')"
printf '{"samples": %d, "bytes": %d, "run": "%s"}\n' "$lines" "$chars" "${RUN_NAME:-}" > "$out/metrics.json"
