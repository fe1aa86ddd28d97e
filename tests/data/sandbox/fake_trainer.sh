#!/usr/bin/env bash
# A stand-in for an external trainer, run by src/sandbox/command_test.cpp.
# usage: fake_trainer.sh MODE OUT_DIR [ARGS...]
#   ok:       writes its arguments (one per line) to OUT_DIR/args.txt, $RUN_NAME to OUT_DIR/env.txt,
#             its working directory to OUT_DIR/pwd.txt and OUT_DIR/metrics.json; prints metric lines
#   fail:     prints 30 numbered lines and a traceback on stderr, exits 3
#   sleep:    touches OUT_DIR/started, then sleeps 30 s (for timeout / cancellation)
#   selfkill: kills itself with SIGKILL
set -u
mode=$1
out=$2
shift 2
case "$mode" in
  ok)
    mkdir -p "$out"
    printf '%s\n' "$@" > "$out/args.txt"
    printf '%s\n' "${RUN_NAME-unset}" > "$out/env.txt"
    pwd > "$out/pwd.txt"
    echo "step 1 loss: 0.9 acc=0.5"
    echo "final loss: 0.25"
    echo "step 2 acc=0.75 acc=0.875"
    echo '{"eval": {"bleu": 31.5}, "epochs": 2}' > "$out/metrics.json"
    echo "a warning on stderr" >&2
    ;;
  fail)
    for i in $(seq 1 30); do echo "line $i"; done
    echo "Traceback: boom" >&2
    exit 3
    ;;
  sleep)
    touch "$out/started"
    sleep 30
    ;;
  selfkill)
    kill -9 $$
    ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
