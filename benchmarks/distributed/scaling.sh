#!/usr/bin/env bash
# Data-parallel scaling of the MLP 784-512-512-10 (samples/Digits --model mlp784): time per global step on
# 1 and 2 ranks of this machine, the bytes all-reduced per step and the time spent in the all-reduce, and
# the scaling expected at 8 and 64 ranks on a 25 Gbit/s network for a ring all-reduce
# (each rank sends and receives 2(N-1)/N x the gradient bytes per step), without overlap of communication
# and the backward pass. Weak scaling: every rank keeps a batch of --per-rank examples. These runs line the
# ranks up with a barrier before each all-reduce (--time-communication, hence --no-overlap), so that the
# all-reduce time is the communication alone, not one rank waiting for the other's compute.
# Then the overlap comparison: 2 ranks without the barrier, the all-reduce after the backward pass
# (--no-overlap) against each bucket's all-reduce started as the backward pass completes it (the default):
# time per global step, and time waiting in the all-reduce after the backward pass.
#   benchmarks/distributed/scaling.sh [--steps 60] [--per-rank 64] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=60 perRank=64 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --per-rank) perRank=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
source "benchmarks/distributed/mpi-setup.sh" Digits
# The same cores either way: one rank unbound with a kernel thread per core, or one rank per core with one
# kernel thread each (DOTNET_PROCESSOR_COUNT sizes the kernels' thread pool).
cores=$(nproc)
for n in 1 2; do
  if [ "$n" = 1 ]; then placement=(--bind-to none); else placement=(--bind-to core -x DOTNET_PROCESSOR_COUNT=$((cores / n > 0 ? cores / n : 1))); fi
  mpirun -np "$n" --oversubscribe --allow-run-as-root "${placement[@]}" dotnet "$dll" --distributed --model mlp784 \
    --steps "$steps" --batch $((perRank * n)) --checkpoint-every 0 --log-every 0 --time-communication --no-overlap --logdir "$out/np$n" | tee "$out/np$n.txt" | grep "ms per global step"
done
# Overlap off and on, alternating twice so that a change in the machine's load hits both alike.
for round in 1 2; do
  for mode in after overlap; do
    flag=(); [ "$mode" = after ] && flag=(--no-overlap)
    mpirun -np 2 --oversubscribe --allow-run-as-root --bind-to core -x DOTNET_PROCESSOR_COUNT=$((cores / 2 > 0 ? cores / 2 : 1)) dotnet "$dll" --distributed --model mlp784 \
      --steps "$steps" --batch $((perRank * 2)) --checkpoint-every 0 --log-every 0 "${flag[@]}" --logdir "$out/$mode$round" | tee "$out/$mode$round.txt" | grep "ms per global step"
  done
done
python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def read(name):
    m = re.search(r"([0-9.]+) ms per global step \(([0-9.]+) ms of it in the all-reduce after the backward pass; timed over the last [0-9]+\), ([0-9]+) bytes", open(f"{out}/{name}.txt").read())
    return float(m.group(1)), float(m.group(2)), int(m.group(3))
t1, r1, b = read("np1")
t2, r2, _ = read("np2")
compute = t1 - r1
print(f"1 rank: {t1:.2f} ms/step; 2 ranks: {t2:.2f} ms/step ({r2:.2f} ms in the all-reduce, {b / r2 / 1e6:.2f} GB/s of gradients); "
      f"throughput 2 ranks / 1 rank: {2 * t1 / t2:.2f}x (weak scaling efficiency {t1 / t2:.0%})")
print(f"gradient bytes all-reduced per step per rank: {b} ({b / 2**20:.2f} MiB)")
bandwidth = 25e9 / 8
for n in (8, 64):
    comm = 2 * (n - 1) / n * b / bandwidth * 1e3
    print(f"{n} ranks on 25 Gbit/s, ring all-reduce: {comm:.2f} ms of communication per step against {compute:.2f} ms of compute: "
          f"expected efficiency {compute / (compute + comm):.0%} without overlap")
for mode, label in (("after", "all-reduce after the backward pass"), ("overlap", "overlapped with the backward pass")):
    runs = [read(f"{mode}{r}") for r in (1, 2)]
    step, wait = min(r[0] for r in runs), min(r[1] for r in runs)
    print(f"2 ranks, {label}: {step:.2f} ms per global step, {wait:.2f} ms waiting in the all-reduce after the backward (best of 2)")
PY
