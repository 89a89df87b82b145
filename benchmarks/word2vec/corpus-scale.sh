#!/usr/bin/env bash
# Word2Vec at corpus scale: peak resident memory and words/s for one epoch on corpora of growing length,
# made from the shipped texts with reshuffled sentences (make-corpus.py). Prints one line per size:
#   SCALE tokens=… peak_rss_mb=… words_per_second=… seconds=… cpu_seconds=… build=…
# (cpu_seconds: the whole process's user + system time, counting, evaluation and export included; on a loaded
# machine it varies much less than the epoch's wall-clock words/s)
#
# Usage: benchmarks/word2vec/corpus-scale.sh [--sizes 1M,10M,100M] [--threads N] [--work DIR] [--build DLL] [--label NAME] [-- PROGRAM OPTIONS]
# Defaults: 1M,10M,100M; 2 threads; corpora and runs under /tmp/w2v-scale (kept, so a second run reuses the
# corpora); the Word2Vec.dll of this checkout's Release build. --build runs another build of the program
# (e.g. an older commit's, to compare the in-memory path) under the label --label.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sizes=1M,10M,100M
threads=2
work=${TMPDIR:-/tmp}/w2v-scale
dll=$root/samples/Word2Vec/bin/Release/net10.0/Word2Vec.dll
label=streaming
extra=()

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --build) dll=$2; shift 2 ;;
        --label) label=$2; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "corpus-scale: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

if [ "$dll" = "$root/samples/Word2Vec/bin/Release/net10.0/Word2Vec.dll" ]; then
    dotnet build "$root/samples/Word2Vec" -c Release -nologo -v quiet >/dev/null
fi
[ -f "$dll" ] || { echo "corpus-scale: no program at $dll" >&2; exit 2; }
mkdir -p "$work"

for size in ${sizes//,/ }; do
    corpus=$work/corpus-$size.txt
    [ -f "$corpus" ] || python3 "$here/make-corpus.py" "$size" "$corpus" "$root/samples/Word2Vec/data/corpus.txt.gz" >&2
    logdir=$work/runs-$label-$size
    rm -rf "$logdir"
    log=$work/$label-$size.log
    /usr/bin/time -v dotnet "$dll" --corpus "$corpus" --logdir "$logdir" --epochs 1 --threads "$threads" "${extra[@]}" >"$log" 2>&1 \
        || { echo "corpus-scale: the run on $size failed, see $log" >&2; exit 1; }
    rss_kb=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {sum += $2} END {print sum}' "$log")
    metrics=$(ls "$logdir"/run-*/metrics.json)
    tokens=$(grep -o '[0-9,]* tokens' "$log" | head -1 | tr -d ', tokens')
    python3 - "$metrics" "$rss_kb" "$tokens" "$label" "$size" "$cpu" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"SCALE size={sys.argv[5]} tokens={int(sys.argv[3]):,} peak_rss_mb={int(sys.argv[2]) / 1024:.0f} "
      f"words_per_second={m['words_per_second']:,.0f} seconds={m['train_seconds']:.1f} cpu_seconds={float(sys.argv[6]):.1f} build={sys.argv[4]}")
PY
done
