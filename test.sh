#!/usr/bin/env bash
# Runs every test project of the solution (the README's test command).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build GraphCompiler.sln -c Release -nologo -v quiet
dotnet test GraphCompiler.sln -c Release --no-build -nologo
