#!/usr/bin/env bash
# Compares GraphCompiler's generated train steps and SGEMM with PyTorch (and OpenBLAS) on the same
# cores. Prints one line per benchmark:
#   RESULT name=<benchmark> ours_us=<median µs/step> pytorch_us=<median µs/step> speedup=<pytorch/ours>
#   RESULT name=sgemm_1024 ours_us=.. pytorch_us=.. speedup=.. ours_gflops=.. openblas_gflops=..
#   RESULT name=digits_cnn_10_epochs ours_us=.. pytorch_us=.. speedup=.. ours_accuracy=.. pytorch_accuracy=..
#   RESULT name=conv2d_56x56x64 ours_us=.. pytorch_us=.. speedup=.. ours_gflops=.. pytorch_gflops=.. ours_peak_pct=..
#     (conv2d: forward + input and filter gradients, batch 32, 3×3, 64 → 64; peak = 434 GFLOP/s, 2 threads of FMA)
#   RESULT name=tiny_bert_step ours_us=.. pytorch_us=.. speedup=..
#     (one pre-training step of samples/TinyBert's model: batch 32, 64 tokens, MLM at 10 positions + NSP, AdamW)
#   RESULT name=char_lstm ours_us=.. pytorch_us=.. speedup=..   (and char_gru; run only when named with --only)
#     (one Adam step of Embedding(100, 64) -> LSTM/GRU(256) over 100 steps -> Linear(256, 100), batch 64)
# (plus pytorch_threads=, and openblas_threads= for sgemm: the thread counts of the faster runs).
# Usage: benchmarks/compare-pytorch.sh [--install-only] [--cores 0,1] [--rounds 3] [--high-priority] [--only NAME]...
#   --only NAME measures that benchmark alone on both sides (repeatable).
#   --high-priority runs both sides at nice -20 (root only), so that other work on a shared machine
#   disturbs the timings less; both sides get the same treatment.
# Needs root (or the packages already present) to install python3-torch and libopenblas0-pthread.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cores="0,1"
install_only=0
rounds=3
high_priority=0
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --install-only) install_only=1; shift ;;
    --high-priority) high_priority=1; shift ;;
    --cores) cores="$2"; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --rounds) rounds="$2"; shift 2
      [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "compare-pytorch: --rounds needs a positive number" >&2; exit 2; } ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "compare-pytorch: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

log() { echo "compare-pytorch: $*" >&2; }
fail() { echo "compare-pytorch: ERROR: $*" >&2; exit 1; }

# Debian's python3-torch installs for the system interpreter, not for one on PATH (pyenv, venv).
python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x /usr/bin/python3 ]]; then python=/usr/bin/python3; else python="$(command -v python3 || true)"; fi
fi
[[ -n "$python" ]] || fail "no python3 found; install python3 or set PYTHON"

have_torch() { "$python" -c 'import torch' >/dev/null 2>&1; }
have_openblas() {
  ldconfig -p 2>/dev/null | grep -q 'libopenblas.*pthread' || dpkg -s libopenblas0-pthread >/dev/null 2>&1
}

missing=()
have_torch || missing+=(python3-torch)
have_openblas || missing+=(libopenblas0-pthread)
if [[ ${#missing[@]} -gt 0 ]]; then
  command -v apt-get >/dev/null 2>&1 || fail "missing ${missing[*]} and apt-get is not available; install PyTorch for $python by hand"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "missing ${missing[*]}; run as root or install them first"
    sudo=(sudo)
  fi
  log "installing ${missing[*]}: apt-get update, then apt-get install -y --no-install-recommends ${missing[*]}"
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
    "${missing[@]}" python3-numpy >&2 || fail "apt-get install ${missing[*]} failed; PyTorch is needed for the comparison"
  have_torch || fail "python3-torch was installed but '$python -c \"import torch\"' still fails (Debian's package serves /usr/bin/python3; set PYTHON to an interpreter that has torch)"
else
  log "python3-torch and libopenblas0-pthread already present"
fi
[[ $install_only -eq 1 ]] && { log "installed; --install-only given, not measuring"; exit 0; }

# Both sides run on the same cores; without taskset (or with fewer cores) they run unpinned.
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c "$cores" true 2>/dev/null; then
  pin=(taskset -c "$cores")
  log "pinning both sides to cores $cores"
else
  log "taskset unavailable or cores '$cores' not usable; running unpinned"
fi

if [[ $high_priority -eq 1 ]]; then
  if nice -n -20 true 2>/dev/null && [[ "$(nice -n -20 nice)" -lt 0 ]]; then
    pin=(nice -n -20 "${pin[@]}")
    log "running both sides at nice -20"
  else
    log "--high-priority needs root; running at normal priority"
  fi
fi

project="$repo_root/benchmarks/GraphCompiler.Benchmarks"
log "building $project (Release)"
dotnet build -c Release "$project" -nologo -v quiet >&2 || fail "building the benchmarks failed"
dll="$project/bin/Release/net10.0/GraphCompiler.Benchmarks.dll"
[[ -f "$dll" ]] || fail "built, but $dll is missing"

# Machines shared with other work are noisy, and noise only ever adds time: both sides run in
# alternating rounds and each benchmark keeps its best (lowest) median over the rounds.
ours=""
theirs=""
only_args=()
for name in "${only[@]}"; do only_args+=(--only "$name"); done
for ((round = 1; round <= rounds; round++)); do
  log "round $round/$rounds, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
  log "measuring ours: dotnet GraphCompiler.Benchmarks.dll compare"
  out="$("${pin[@]}" dotnet "$dll" compare "${only_args[@]}")" || { echo "$out" >&2; fail "our compare mode failed"; }
  grep -v '^SKIP' <<<"$out" >&2 || true
  ours+="$out"$'\n'
  log "measuring PyTorch: $python benchmarks/pytorch_reference.py"
  out="$("${pin[@]}" "$python" "$repo_root/benchmarks/pytorch_reference.py" "${only_args[@]}")" || { echo "$out" >&2; fail "pytorch_reference.py failed"; }
  echo "$out" >&2
  theirs+="$out"$'\n'
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"

# best <lines> <KIND> <name> <key> [max]: of the lines "KIND name=<name> ...", the one holding the
# lowest (with "max": the highest) value of key=.
best() {
  awk -v kind="$2" -v name="$3" -v key="$4" -v want="${5:-min}" '
    $1 == kind && $2 == "name=" name {
      for (i = 3; i <= NF; i++) if (index($i, key "=") == 1) {
        v = substr($i, length(key) + 2) + 0
        if (!found || (want == "min" && v < bestv) || (want == "max" && v > bestv)) { bestv = v; bestline = $0; found = 1 }
      }
    }
    END { if (found) print bestline }' <<<"$1"
}
# field <line> <key>: the value of key= on one line.
field() { tr ' ' '\n' <<<"$1" | awk -v key="$2" 'index($0, key "=") == 1 { print substr($0, length(key) + 2); exit }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

status=0
# The FMA peak of the two measuring threads (2 cores × 2 FMA units × 16 lanes × 2 flops × ~3.4 GHz).
peak_gflops=434
names=(two_hidden_layers mlp_784_512_512_10 linear_regression sgemm_1024 digits_cnn_10_epochs conv2d_56x56x64 tiny_bert_step)
[[ ${#only[@]} -gt 0 ]] && names=("${only[@]}")
for name in "${names[@]}"; do
  torch_line="$(best "$theirs" PYTORCH "$name" us)"
  torch_us="$(field "$torch_line" us)"
  [[ -n "$torch_us" ]] || { log "no PyTorch result for $name"; status=1; torch_us=missing; }
  threads="$(field "$torch_line" threads)"
  if grep -q "^SKIP name=$name " <<<"$ours"; then
    grep -m1 "^SKIP name=$name " <<<"$ours" >&2
    echo "RESULT name=$name ours_us=skipped pytorch_us=$torch_us speedup=n/a pytorch_threads=${threads:-n/a}"
    continue
  fi
  our_line="$(best "$ours" OURS "$name" us)"
  our_us="$(field "$our_line" us)"
  [[ -n "$our_us" ]] || { log "no result of ours for $name"; status=1; our_us=missing; }
  line="RESULT name=$name ours_us=$our_us pytorch_us=$torch_us speedup=$(ratio "$torch_us" "$our_us")"
  if [[ "$name" == sgemm_* ]]; then
    blas_line="$(best "$theirs" OPENBLAS "$name" gflops max)"
    line+=" ours_gflops=$(field "$our_line" gflops) openblas_gflops=$(field "$blas_line" gflops)"
    line+=" openblas_threads=$(field "$blas_line" threads)"
  fi
  if [[ "$name" == digits_cnn_* ]]; then
    line+=" ours_accuracy=$(field "$our_line" accuracy) pytorch_accuracy=$(field "$torch_line" accuracy)"
  fi
  if [[ "$name" == conv2d_* ]]; then
    line+=" ours_gflops=$(field "$our_line" gflops) pytorch_gflops=$(field "$torch_line" gflops)"
    line+=" ours_peak_pct=$(awk -v g="$(field "$our_line" gflops)" -v p="$peak_gflops" 'BEGIN { if (g > 0) printf "%.0f", 100 * g / p; else print "n/a" }')"
  fi
  echo "$line pytorch_threads=${threads:-n/a}"
done
exit $status
