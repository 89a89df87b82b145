#!/usr/bin/env bash
# The GPU comparison: the generated MLP 784-512-512-10 train step on CUDA (the device path of a [Model],
# cuBLAS GEMMs and generated ILGPU kernels) against the same step in PyTorch CUDA eager on the same GPU,
# at batch 128 and 4096; then the device check's fused elementwise chain over 2^26 floats as GB/s next to
# the device-to-device copy bandwidth.
#
# The GPU machine has the driver, CUDA and PyTorch but no .NET: publish the device check here first
#   benchmarks/gpu/publish-for-device.sh           (writes benchmarks/gpu/bin/publish/DeviceCheck.tar.xz)
# and run this script there, from the repository root:
#   benchmarks/compare-pytorch-cuda.sh [path/to/DeviceCheck.tar.xz]
#
# A dry run without a GPU (our side on ILGPU's CPU accelerator; PyTorch is skipped, its columns say NA):
#   DEVICE=ilgpu-cpu BATCHES=8 SAMPLES=3 GEMM="64 64 64" ELEMENTS=$((1 << 20)) benchmarks/compare-pytorch-cuda.sh
#
# Prints one line per benchmark:
#   RESULT name=<benchmark> device=<gpu name> ours_us=.. pytorch_us=.. speedup=..   (speedup = PyTorch / ours)
#   RESULT name=elementwise_chain device=<gpu name> ... fused_gbps=.. copy_gbps=.. fraction_of_copy=..
set -euo pipefail
cd "$(dirname "$0")/.."
package=${1:-benchmarks/gpu/bin/publish/DeviceCheck.tar.xz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$package" ]; then
  echo "error: no device check package at $package: run benchmarks/gpu/publish-for-device.sh on a machine with .NET first" >&2
  exit 2
fi
tar -C "$work" -xJf "$package"
check="$work/DeviceCheck/DeviceCheck"

device=${DEVICE:-cuda}
batches=${BATCHES:-128 4096}
elements=${ELEMENTS:-$((1 << 26))}
samples=${SAMPLES:-31}
gemm=${GEMM:-1024 1024 1024}

# shellcheck disable=SC2086 # the batch sizes are separate arguments
ours=$("$check" --device "$device" --samples "$samples" --mlp $batches)
echo "$ours" | grep -v '^OURS' >&2 || true
theirs=""
if [ "${device%%:*}" = cuda ] && python3 -c 'import torch' 2>/dev/null; then
  # shellcheck disable=SC2086
  theirs=$(python3 benchmarks/gpu/pytorch_mlp_cuda.py $batches)
else
  echo "note: PyTorch CUDA is not run (device $device, or no torch module): its columns say NA" >&2
fi

echo "$ours" | grep '^OURS' | while read -r _ name us; do
  name=${name#name=}; ours_us=${us#us=}
  line=$(echo "$theirs" | grep "name=$name " || true)
  if [ -z "$theirs" ]; then
    echo "RESULT name=$name device=$device ours_us=$ours_us pytorch_us=NA speedup=NA"
    continue
  fi
  if [ -z "$line" ]; then echo "error: PyTorch printed no time for $name" >&2; exit 1; fi
  pytorch_us=$(echo "$line" | sed -E 's/.* us=([0-9.]+).*/\1/')
  gpu=$(echo "$line" | sed -E 's/.*device=(".*")/\1/')
  speedup=$(python3 -c "print(f'{$pytorch_us / $ours_us:.2f}')")
  echo "RESULT name=$name device=$gpu ours_us=$ours_us pytorch_us=$pytorch_us speedup=$speedup"
done

# shellcheck disable=SC2086 # the GEMM's three sizes are separate arguments
"$check" --device "$device" --gemm $gemm --elements "$elements" | grep '^RESULT'
