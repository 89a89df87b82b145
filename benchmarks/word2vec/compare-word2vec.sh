#!/usr/bin/env bash
# Word2vec training speed and quality, side by side in one run on the same machine: our Word2Vec
# program, gensim's Word2Vec and a plain PyTorch skip-gram, all skip-gram with negative sampling on
# the shipped corpus with the same dimensions, window, negatives, min_count, epochs and threads.
# Prints one "W2V system=..." line per system and "W2V ratio ours/gensim=..." (words per second).
#
# Usage: benchmarks/word2vec/compare-word2vec.sh [--epochs N] [--threads N] [--corpus PATH] [--without-pytorch] [--with-count-vectors] [--count-methods LIST]
# Defaults: 5 epochs, all cores, samples/Word2Vec/data/corpus.txt.gz. The PyTorch skip-gram takes
# many minutes (about 50x gensim's time); --without-pytorch leaves it out. --with-count-vectors adds
# the count-based methods of samples/CountVectors (PPMI-SVD and GloVe; --count-methods ppmi-svd for one)
# on the same corpus, vocabulary and width.
# Needs the evaluation sets in ../shared/eval beside the repository (questions-words.txt, wordsim353.tsv).
# Installs Debian's python3-gensim and python3-torch with apt-get when they are missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
epochs=5
threads=$(nproc)
corpus=$root/samples/Word2Vec/data/corpus.txt.gz
dim=128 window=5 negatives=5 min_count=5
with_pytorch=1
with_count_vectors=0
count_methods=ppmi-svd,glove

while [ $# -gt 0 ]; do
    case "$1" in
        --epochs) epochs=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --corpus) corpus=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --without-pytorch) with_pytorch=0; shift ;;
        --with-count-vectors) with_count_vectors=1; shift ;;
        --count-methods) with_count_vectors=1; count_methods=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "compare-word2vec: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

analogies=$root/../shared/eval/questions-words.txt
wordsim=$root/../shared/eval/wordsim353.tsv
for f in "$corpus" "$analogies" "$wordsim"; do
    [ -f "$f" ] || { echo "compare-word2vec: missing $f" >&2; exit 1; }
done

# Debian's packages live in the system interpreter, whatever python3 comes first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
if ! "$python" -c 'import gensim, torch' 2>/dev/null; then
    echo "compare-word2vec: installing python3-gensim and python3-torch with apt-get" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-gensim python3-torch >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "W2V setup corpus=$(basename "$corpus") epochs=$epochs threads=$threads dim=$dim window=$window negatives=$negatives min_count=$min_count cpu=\"$(lscpu | sed -n 's/^Model name: *//p' | head -1)\""

# The Python references train on the very tokens our program sees: the runtime's tokenizer writes them once.
dotnet run -c Release "$here/tokenize-corpus.cs" -- "$corpus" "$work/tokens.txt" >&2

# (a) Ours, when the program exists.
if compgen -G "$root/samples/Word2Vec/*.csproj" >/dev/null; then
    dotnet build -c Release "$root/samples/Word2Vec" -nologo -v quiet >&2
    dotnet run -c Release --no-build --project "$root/samples/Word2Vec" -- \
        --corpus "$corpus" --epochs "$epochs" --threads "$threads" --loss negative-sampling \
        --negatives "$negatives" --dim "$dim" --window "$window" --logdir "$work/ours" \
        --analogies "$analogies" --wordsim "$wordsim" >&2
    metrics=$(find "$work/ours" -name metrics.json | head -1)
    [ -n "$metrics" ] || { echo "compare-word2vec: the Word2Vec program wrote no metrics.json under its run directory" >&2; exit 1; }
    cp "$metrics" "$work/ours.json"
    "$python" - "$work/ours.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print("W2V system=ours words_per_second={:.0f} analogy_accuracy={:.4f} analogy_questions={} wordsim_spearman={:.4f} train_seconds={:.2f}".format(
    m["words_per_second"], m["analogy_accuracy"], m["analogy_questions"], m["wordsim_spearman"], m["train_seconds"]))
PY
else
    echo "W2V system=ours SKIP reason=no-project-in-samples/Word2Vec"
fi

common=(--epochs "$epochs" --threads "$threads" --dim "$dim" --window "$window" --negatives "$negatives" --min-count "$min_count")
# (b) gensim and (c) PyTorch.
(cd "$here" && "$python" gensim_word2vec.py "$work/tokens.txt" "$analogies" "$wordsim" "${common[@]}" --json "$work/gensim.json")
if [ "$with_pytorch" -eq 1 ]; then
    (cd "$here" && "$python" torch_skipgram.py "$work/tokens.txt" "$analogies" "$wordsim" "${common[@]}" --json "$work/pytorch.json")
else
    echo "W2V system=pytorch SKIP reason=--without-pytorch"
fi

# (d) Count-based vectors: one pass of counting instead of epochs, so no words/s; seconds and quality compare.
if [ "$with_count_vectors" -eq 1 ]; then
    dotnet build -c Release "$root/samples/CountVectors" -nologo -v quiet >&2
    dotnet run -c Release --no-build --project "$root/samples/CountVectors" -- \
        --method "$count_methods" --corpus "$corpus" --threads "$threads" --dim "$dim" --min-count "$min_count" \
        --analogies "$analogies" --wordsim "$wordsim" --logdir "$work/count" >&2
    for method in ${count_methods//,/ }; do
        "$python" - "$(find "$work/count" -path "*/$method/metrics.json" | head -1)" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print("W2V system={} words_per_second=n/a analogy_accuracy={:.4f} analogy_questions={} wordsim_spearman={:.4f} train_seconds={:.2f}".format(
    m["method"], m["analogy_accuracy"], m["analogy_questions"], m["wordsim_spearman"], m["train_seconds"]))
PY
    done
fi

"$python" - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
gensim = json.load(open(os.path.join(work, "gensim.json")))
ours_path = os.path.join(work, "ours.json")
if os.path.exists(ours_path):
    ours = json.load(open(ours_path))
    print("W2V ratio ours/gensim={:.2f}".format(ours["words_per_second"] / gensim["words_per_second"]))
else:
    print("W2V ratio ours/gensim=n/a")
PY
