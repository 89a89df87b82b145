#!/usr/bin/env bash
# The whole GPU session in one prepared script, for a GPU machine with the NVIDIA driver, CUDA and PyTorch but
# no .NET. On a machine with .NET first:
#   benchmarks/gpu/publish-for-device.sh        (writes benchmarks/gpu/bin/publish/DeviceCheck.tar.xz, < 64 MiB)
# then carry the repository (with that file) to the GPU machine and run, from the repository root:
#   benchmarks/gpu/device-check.sh [path/to/DeviceCheck.tar.xz]
#
# It runs, printing RESULT lines:
#   1. the agreement check: the generated MLP 784-512-512-10 trained on the GPU and on the CPU path from the same
#      seed, losses and variables compared (RESULT name=agreement_mlp784_b64 ... ok=true);
#   2. benchmarks/compare-pytorch-cuda.sh: the MLP train step at batch 128 and 4096 against PyTorch CUDA eager,
#      then the device checks: cuBLAS GEMM against the host (RESULT name=gemm_...) and the fused elementwise
#      chain over 2^26 floats against device-to-device copy (RESULT name=elementwise_chain).
# Exits non-zero if any check disagrees or any step fails; the RESULT lines printed so far stay valid.
#
# Dry run without a GPU (ILGPU's CPU accelerator, small sizes, PyTorch skipped):
#   DEVICE=ilgpu-cpu BATCHES=8 SAMPLES=3 GEMM="64 64 64" ELEMENTS=$((1 << 20)) AGREE_BATCH=8 benchmarks/gpu/device-check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
package=${1:-benchmarks/gpu/bin/publish/DeviceCheck.tar.xz}
device=${DEVICE:-cuda}
elements=${ELEMENTS:-$((1 << 26))}
agree_batch=${AGREE_BATCH:-64}
agree_steps=${AGREE_STEPS:-3}

if [ ! -f "$package" ]; then
  echo "error: no device check package at $package: run benchmarks/gpu/publish-for-device.sh on a machine with .NET first" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xJf "$package"
check="$work/DeviceCheck/DeviceCheck"

status=0
echo "== agreement with the CPU path ($device)"
"$check" --device "$device" --agree "$agree_batch" "$agree_steps" || status=1
echo "== MLP train step against PyTorch; GEMM and elementwise bandwidth"
# BATCHES, SAMPLES and GEMM pass through to it from the environment.
DEVICE=$device ELEMENTS=$elements benchmarks/compare-pytorch-cuda.sh "$package" || status=1
if [ "$status" -ne 0 ]; then echo "error: a device check failed (see above)" >&2; fi
exit "$status"
