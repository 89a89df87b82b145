#!/usr/bin/env bash
# Runs every test project of the solution (the README's test command).
set -euo pipefail
cd "$(dirname "$0")"
# The embedding-page test drives headless Chromium (Debian's package); install it when missing.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing chromium (needed by the embedding-page screenshot test)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install it with 'sudo apt-get install chromium' (the embedding-page test needs it)" >&2
  fi
fi
# The distributed tests launch Open MPI's mpirun on loopback (Debian's openmpi-bin and libopenmpi-dev).
if ! command -v mpirun >/dev/null || ! ldconfig -p 2>/dev/null | grep -q 'libmpi\.so'; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Open MPI (needed by the distributed training tests)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev >/dev/null
  else
    echo "Open MPI is missing: install it with 'sudo apt-get install openmpi-bin libopenmpi-dev' (the distributed tests need it)" >&2
  fi
fi
# mpirun refuses to start ranks as root unless told (CI containers run as root).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
dotnet build GraphCompiler.sln -c Release -nologo -v quiet
dotnet test GraphCompiler.sln -c Release --no-build -nologo
