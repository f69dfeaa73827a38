#!/usr/bin/env bash
# Cold start in Lambda mode, Native AOT vs JIT, same run, rounds alternating: process start → first response
# (including the first, uncached GetSecretValue), and peak RSS. Loopback only; bounded by ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-7}
out=artifacts/bench
echo "Publishing AOT and JIT builds (Release, linux-x64)..."
dotnet publish Function -c Release -r linux-x64 -o "$out/aot" -nologo -v q >/dev/null
dotnet publish Function -c Release -r linux-x64 -p:PublishAot=false -o "$out/jit" -nologo -v q >/dev/null
dotnet build bench/ColdStart -c Release -nologo -v q >/dev/null

echo "AOT bootstrap: $(du -h "$out/aot/bootstrap" | cut -f1)"
dotnet bench/ColdStart/bin/Release/net10.0/Tap.Bench.ColdStart.dll "$ROUNDS" "aot=$out/aot/bootstrap" "jit=$out/jit/bootstrap"
