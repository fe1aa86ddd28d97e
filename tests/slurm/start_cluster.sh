#!/usr/bin/env bash
# Starts a one-node Slurm cluster for the tests: munged, slurmctld and slurmd as root, every file
# (munge key and socket, slurm.conf, state, logs) under DIR. Prints the slurm.conf path; clients need
# SLURM_CONF set to it. MinJobAge=6 keeps `sbatch --wait` polling every 2 s (it backs off to 32 s when
# MinJobAge is the default 300); CPUs=8 with config_overrides runs 8 tasks at once on a small machine.
# Exit 3: the daemons could not be started here (not root, not installed, or slurmctld/slurmd did not
# come up: the log tails are printed). Stop with stop_cluster.sh DIR.
set -uo pipefail
dir=$(realpath "${1:?usage: start_cluster.sh DIR}")
fail() { echo "start_cluster: $*" >&2; exit 3; }
[[ $(id -u) -eq 0 ]] || fail "needs root (the daemons run as root)"
for b in munged slurmctld slurmd sbatch sinfo; do command -v "$b" >/dev/null || fail "$b not installed (slurm-wlm, munge)"; done
host=$(hostname -s)
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir" "$dir/munge"
head -c 1024 /dev/urandom > "$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" --force 2>"$dir/log/munged.err" ||
  fail "munged did not start: $(tail -c 400 "$dir/log/munged.err" "$dir/munge/munged.log" 2>/dev/null)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cat > "$dir/slurm.conf" <<CONF
ClusterName=juicertest
SlurmctldHost=$host
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=6
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=8 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -i 2>"$dir/log/slurmctld.err" || fail "slurmctld did not start: $(tail -c 600 "$dir/log/slurmctld.err" "$dir/log/slurmctld.log" 2>/dev/null)"
slurmd 2>"$dir/log/slurmd.err" || fail "slurmd did not start: $(tail -c 600 "$dir/log/slurmd.err" "$dir/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 1 60); do
  state=$(sinfo -h -o %T 2>/dev/null | head -1)
  [[ $state == idle* ]] && { echo "$dir/slurm.conf"; exit 0; }
  sleep 0.5
done
fail "the node did not become idle (state '$state'): $(tail -c 600 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" 2>/dev/null)"
