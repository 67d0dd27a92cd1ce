#!/usr/bin/env bash
# Coverage-guided fuzzing of the loader and the engine with SharpFuzz + AFL++ (not part of CI).
# Usage: tests/fuzz/run.sh [minutes]   (default 10). Crashes land in tests/fuzz/out/default/crashes/.
set -euo pipefail
cd "$(dirname "$0")"
minutes=${1:-10}

command -v afl-fuzz >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq afl++ >/dev/null; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null 2>&1 || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0

dotnet publish ComposeFix.Fuzz.csproj -c Release -o bin/fuzz -v q
# Instrument the code under test: our loader/engine and the YAML parser underneath.
for dll in ComposeFix.Core.dll YamlDotNet.dll; do sharpfuzz "bin/fuzz/$dll"; done

# Seeds: the snapshot inputs (every recipe's cases) and the bundled examples.
rm -rf in && mkdir -p in
i=0
for f in ../../snapshots/*/*.before.yml ../../examples/*.yml; do
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 4096 ] && cp "$f" "in/seed-$((i++)).yml"
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1
timeout "$((minutes * 60))" afl-fuzz -i in -o out -t 10000 -m none -x yaml.dict -- dotnet bin/fuzz/ComposeFix.Fuzz.dll || true
echo "crashes: $(ls out/default/crashes 2>/dev/null | grep -vc README || true)"
