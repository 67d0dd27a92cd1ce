#!/usr/bin/env bash
# End-to-end measurements (not part of CI's test command), whole-process wall time and peak memory:
#   1. JIT build: the whole corpus in one `fix --dry-run` process (ms per file, peak MB);
#   2. Native AOT: the whole corpus with `fix --dry-run` (the command the targets name) and with
#      `--unsafe-fixes` (every fix made: the most verification work), and single-file latency (median
#      of 21 runs) on the corpus file closest to 161 lines (the size of compose-lint's reference file)
#      and on the median-sized file;
#   3. scale: generated files with 1,000 and 8,000 services (ports, env secrets, depends_on chains),
#      time per service at 8,000 over that at 1,000 (target <= 1.5: no quadratic step).
# Every timing is the best of several runs: this kind of shared machine varies by tens of percent.
# Usage: bench/e2e.sh [CORPUS_DIR]   (default ../shared/corpus/dev)
# If compose-lint is on PATH, it is timed on the same files for the ratio the targets are stated in.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/dev}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

peak() { # peak MB from a /usr/bin/time -v log
  awk -F: '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$1"
}
wall() { # elapsed seconds from a /usr/bin/time -v log
  awk '/Elapsed \(wall clock\)/ {n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s}' "$1"
}
best() { # best N LOG COMMAND...: runs COMMAND N times, keeps the fastest run's /usr/bin/time log in LOG
  local n=$1 log=$2; shift 2
  rm -f "$log"
  for _ in $(seq 1 "$n"); do
    /usr/bin/time -v -o "$log.try" "$@" >/dev/null 2>&1 || true
    if [ ! -f "$log" ] || awk -v a="$(wall "$log.try")" -v b="$(wall "$log")" 'BEGIN{exit !(a < b)}'; then
      mv "$log.try" "$log"
    fi
  done
}

dotnet build -c Release src/ComposeFix.Cli -v q >/dev/null
dotnet build -c Release tests/ComposeFix.Benchmarks -v q >/dev/null
files=("$corpus"/*.yml)
n=${#files[@]}

best 3 "$out/jit.time" dotnet src/ComposeFix.Cli/bin/Release/net10.0/composefix.dll fix --dry-run "${files[@]}"
secs=$(wall "$out/jit.time")
echo "JIT build, whole corpus in one process: $n files, ${secs}s, $(awk -v s="$secs" -v n="$n" 'BEGIN{printf "%.2f", s*1000/n}') ms/file, peak $(peak "$out/jit.time") MB"

if ! dotnet publish src/ComposeFix.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot" -v q >/dev/null 2>&1; then
  echo "Native AOT publish failed"
  exit 1
fi
aot="$out/aot/composefix"

for flags in "" "--unsafe-fixes"; do
  best 3 "$out/aot.time" "$aot" fix --dry-run $flags "${files[@]}"
  secs=$(wall "$out/aot.time")
  echo "Native AOT, whole corpus, fix --dry-run${flags:+ $flags}: ${secs}s, $(awk -v s="$secs" -v n="$n" 'BEGIN{printf "%.2f", s*1000/n}') ms/file, peak $(peak "$out/aot.time") MB"
done

latency() { # latency FILE: median of 21 runs of the AOT binary on one file, in ms
  local times=() start end
  for _ in $(seq 1 21); do
    start=$(date +%s%N)
    "$aot" fix --dry-run "$1" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(((end - start) / 100000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 11p | awk '{printf "%.1f", $1 / 10}'
}
reference=$(wc -l "${files[@]}" | grep -v ' total$' | awk '{d = $1 - 161; if (d < 0) d = -d; print d, $2}' | sort -n | head -1 | cut -d' ' -f2)
median=$(ls -S "${files[@]}" | sed -n "$((n / 2))p")
for f in "$reference" "$median"; do
  echo "Native AOT, one file ($(wc -l < "$f") lines), median of 21 runs: $(latency "$f") ms"
done

gen="dotnet tests/ComposeFix.Benchmarks/bin/Release/net10.0/ComposeFix.Benchmarks.dll generate"
declare -A per
for size in 1000 8000; do
  $gen "$size" "$out/compose-$size.yml"
  best 3 "$out/scale-$size.time" "$aot" fix --dry-run --unsafe-fixes "$out/compose-$size.yml"
  secs=$(wall "$out/scale-$size.time")
  per[$size]=$(awk -v s="$secs" -v n="$size" 'BEGIN{printf "%.3f", s*1000/n}')
  echo "Native AOT, $size services ($(wc -l < "$out/compose-$size.yml") lines): ${secs}s, ${per[$size]} ms/service, peak $(peak "$out/scale-$size.time") MB"
done
echo "Scaling: time per service at 8,000 / at 1,000 = $(awk -v a="${per[8000]}" -v b="${per[1000]}" 'BEGIN{printf "%.2f", a/b}') (target <= 1.5)"

if command -v compose-lint >/dev/null 2>&1; then
  # --fix rewrites files in place: it runs on a copy of the corpus (once: a second run sees fixed files).
  mkdir -p "$out/cl" && cp "${files[@]}" "$out/cl/"
  /usr/bin/time -v -o "$out/cl.time" compose-lint --fix "$out"/cl/*.yml >/dev/null 2>&1 || true
  echo "compose-lint, whole corpus: $(wall "$out/cl.time")s, peak $(peak "$out/cl.time") MB"
else
  echo "compose-lint not on PATH: no side-by-side ratio (PyPI is not reachable from this machine)"
fi
