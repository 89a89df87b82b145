# Sourced by the distributed benchmarks: checks for mpirun, lets Open MPI run as root (containers), builds the
# sample named by $1 unless $build is 0, and sets $dll to it and $out to a scratch folder removed on exit.
command -v mpirun >/dev/null || { echo "error: mpirun is missing: apt-get install openmpi-bin libopenmpi-dev" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ "$build" = 1 ] && dotnet build "samples/$1/$1.csproj" -c Release -nologo -v quiet >/dev/null
dll="samples/$1/bin/Release/net10.0/$1.dll"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
