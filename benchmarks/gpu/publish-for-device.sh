#!/usr/bin/env bash
# Publishes the device check (benchmarks/gpu/DeviceCheck) self-contained for linux-x64 and packs it as
# tar.xz: the GPU machine has the NVIDIA driver but no .NET, and takes at most 64 MiB of carried files.
#
#   benchmarks/gpu/publish-for-device.sh [output-dir]      (default: benchmarks/gpu/bin/publish)
#
# On the GPU machine:
#   tar -xJf DeviceCheck.tar.xz && DeviceCheck/DeviceCheck --device cuda
# which prints the GPU, checks the GEMM (cuBLAS) against the host, and prints RESULT lines for GEMM
# speed and for a fused elementwise chain over 2^26 floats against device-to-device copy bandwidth.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-bin/publish}
limit=$((64 * 1024 * 1024))

rm -rf "$out/DeviceCheck" "$out/DeviceCheck.tar.xz"
mkdir -p "$out"
# Not trimmed: ILGPU finds kernels and intrinsics by reflection, which trimming would break.
dotnet publish DeviceCheck/DeviceCheck.csproj -c Release -r linux-x64 --self-contained -o "$out/DeviceCheck" -nologo -v quiet
XZ_OPT=-9 tar -C "$out" -cJf "$out/DeviceCheck.tar.xz" DeviceCheck

unpacked=$(du -sb "$out/DeviceCheck" | cut -f1)
packed=$(stat -c %s "$out/DeviceCheck.tar.xz")
echo "published $out/DeviceCheck: $((unpacked / 1024 / 1024)) MiB; packed $out/DeviceCheck.tar.xz: $((packed / 1024 / 1024)) MiB ($packed bytes)"
if [ "$packed" -ge "$limit" ]; then
  echo "the packed check is over the 64 MiB limit" >&2
  exit 1
fi
