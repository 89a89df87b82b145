#!/usr/bin/env bash
# Data-parallel scaling of Word2Vec (samples/Word2Vec --distributed, negative sampling on the shipped corpus):
# time per global step on 1 rank and on 2 ranks of this machine with each way of combining the ranks' updates
# (--sync sparse: the changed rows' ids and values gathered; --sync dense: both whole tables all-reduced), the
# bytes each rank sends and receives per step, and the figures expected at 8 and 64 ranks on a 25 Gbit/s network:
# sparse, an allgather, so every rank receives the other N-1 ranks' rows, (N-1) x the bytes a rank sends;
# dense, a ring all-reduce, 2(N-1)/N x the tables' bytes. Weak scaling: every rank keeps a batch of --batch pairs.
#   benchmarks/distributed/word2vec-scaling.sh [--steps 200] [--dim 300] [--batch 128] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=200 dim=300 batch=128 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps=$2; shift 2 ;;
    --dim) dim=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
source "benchmarks/distributed/mpi-setup.sh" Word2Vec
for run in "1 sparse" "2 sparse" "2 dense"; do
  set -- $run
  if [ "$1" = 1 ]; then placement=(--bind-to none); else placement=(--bind-to core); fi
  mpirun -np "$1" --oversubscribe --allow-run-as-root "${placement[@]}" dotnet "$dll" --distributed --sync "$2" \
    --steps "$steps" --dim "$dim" --batch "$batch" --checkpoint-every 1000000 --logdir "$out/runs" > "$out/np$1-$2.txt"
  grep "ms per global step" "$out/np$1-$2.txt"
done
python3 - "$out/np1-sparse.txt" "$out/np2-sparse.txt" "$out/np2-dense.txt" <<'PY'
import re, sys
def read(path):
    m = re.search(r"([0-9.]+) ms per global step \(([0-9.]+) ms of it in the sync; timed over the last [0-9]+\), ([0-9]+) bytes sent and ([0-9]+) received", open(path).read())
    return float(m.group(1)), float(m.group(2)), int(m.group(3)), int(m.group(4))
t1, s1, _, _ = read(sys.argv[1])
compute = t1 - s1
bandwidth = 25e9 / 8
for name, path in (("sparse", sys.argv[2]), ("dense", sys.argv[3])):
    t2, s2, sent, received = read(path)
    print(f"2 ranks, --sync {name}: {t2:.2f} ms/step ({s2:.2f} ms in the sync) against 1 rank's {t1:.2f} ms; "
          f"{sent} bytes sent, {received} received per step per rank")
    for n in (8, 64):
        wire = (n - 1) * sent if name == "sparse" else 2 * (n - 1) / n * sent
        comm = wire / bandwidth * 1e3
        print(f"  {n} ranks on 25 Gbit/s: {wire / 1e6:.2f} MB received per rank and step, {comm:.2f} ms against {compute:.2f} ms of compute: "
              f"expected efficiency {compute / (compute + comm):.0%} without overlap")
PY
