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
dotnet build GraphCompiler.sln -c Release -nologo -v quiet
dotnet test GraphCompiler.sln -c Release --no-build -nologo
