#!/usr/bin/env bash
# End-to-end measurements (not part of CI's test command): whole-corpus dry run in one process
# (ms per file, peak memory), and single-file latency of the Native AOT binary.
# Usage: bench/e2e.sh [CORPUS_DIR]   (default ../shared/corpus/dev)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/dev}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

dotnet build -c Release src/ComposeFix.Cli -v q >/dev/null
files=("$corpus"/*.yml)
n=${#files[@]}

/usr/bin/time -f "%e %M" -o "$out/jit.time" dotnet src/ComposeFix.Cli/bin/Release/net10.0/composefix.dll fix --dry-run --unsafe-fixes "${files[@]}" >/dev/null 2>&1 || true
read -r secs kb < <(tail -n 1 "$out/jit.time")
echo "JIT build, whole corpus in one process: $n files, ${secs}s, $(awk -v s="$secs" -v n="$n" 'BEGIN{printf "%.2f", s*1000/n}') ms/file, peak $((kb / 1024)) MB"

if dotnet publish src/ComposeFix.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot" -v q >/dev/null 2>&1; then
  single=$(ls -S "${files[@]}" | sed -n "$((n / 2))p")
  total=0
  for _ in $(seq 1 20); do
    start=$(date +%s%N)
    "$out/aot/composefix" fix --dry-run "$single" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    total=$((total + (end - start) / 1000))
  done
  echo "Native AOT, one file ($(wc -l < "$single") lines), mean of 20 runs: $((total / 20 / 1000)) ms"
  /usr/bin/time -f "%e %M" -o "$out/aot.time" "$out/aot/composefix" fix --dry-run --unsafe-fixes "${files[@]}" >/dev/null 2>&1 || true
  read -r secs kb < <(tail -n 1 "$out/aot.time")
  echo "Native AOT, whole corpus: ${secs}s, $(awk -v s="$secs" -v n="$n" 'BEGIN{printf "%.2f", s*1000/n}') ms/file, peak $((kb / 1024)) MB"
else
  echo "Native AOT publish failed"
fi
