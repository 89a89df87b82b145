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

ours=$("$check" --device cuda --mlp 128 4096)
echo "$ours" | grep -v '^OURS' >&2 || true
theirs=$(python3 benchmarks/gpu/pytorch_mlp_cuda.py 128 4096)

echo "$ours" | grep '^OURS' | while read -r _ name us; do
  name=${name#name=}; ours_us=${us#us=}
  line=$(echo "$theirs" | grep "name=$name " || true)
  if [ -z "$line" ]; then echo "error: PyTorch printed no time for $name" >&2; exit 1; fi
  pytorch_us=$(echo "$line" | sed -E 's/.* us=([0-9.]+).*/\1/')
  device=$(echo "$line" | sed -E 's/.*device=(".*")/\1/')
  speedup=$(python3 -c "print(f'{$pytorch_us / $ours_us:.2f}')")
  echo "RESULT name=$name device=$device ours_us=$ours_us pytorch_us=$pytorch_us speedup=$speedup"
done

"$check" --device cuda --elements $((1 << 26)) | grep '^RESULT' || true
