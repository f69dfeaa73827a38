#!/usr/bin/env bash
# Cold start in Lambda mode through LocalAws's Runtime API, same run, rounds alternating: process start → the first
# signed Invoke answered (including the Function's first, uncached GetSecretValue), and peak RSS, for the Function's
# Native AOT bootstrap, its JIT build, and the floor: a hello-world minimal API on the same adapter, published the
# same way (AOT), with no secret and no telemetry. Loopback only; bounded by ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-10}
out=artifacts/bench
echo "Publishing the AOT, JIT and floor builds (Release, linux-x64)..."
dotnet publish Function -c Release -r linux-x64 -o "$out/aot" -nologo -v q >/dev/null
dotnet publish Function -c Release -r linux-x64 -p:PublishAot=false -o "$out/jit" -nologo -v q >/dev/null
dotnet publish bench/ColdStartFloor -c Release -r linux-x64 -o "$out/floor" -nologo -v q >/dev/null
dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build bench/ColdStart -c Release -nologo -v q >/dev/null

echo "AOT bootstrap: $(du -h "$out/aot/bootstrap" | cut -f1); floor bootstrap: $(du -h "$out/floor/bootstrap" | cut -f1)"
dotnet bench/ColdStart/bin/Release/net10.0/Tap.Bench.ColdStart.dll LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll "$ROUNDS" \
  "aot=$out/aot/bootstrap" "jit=$out/jit/bootstrap" "floor=$out/floor/bootstrap"
