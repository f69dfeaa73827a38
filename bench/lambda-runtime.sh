#!/usr/bin/env bash
# LocalAws's Lambda Runtime API, same run, rounds alternating: the latency one invocation adds over the in-test
# Runtime API (a signed Invoke call vs a queued event, one echo environment each), and invocations/s with one and
# with two execution environments (each a process of its own). Loopback only; bounded by ROUNDS × SECONDS_PER_ROUND.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-5}
CONCURRENCY=${CONCURRENCY:-16}
dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build bench/LambdaRuntime -c Release -nologo -v q >/dev/null
dotnet bench/LambdaRuntime/bin/Release/net10.0/Tap.Bench.LambdaRuntime.dll \
  LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll "$ROUNDS" "$SECONDS_PER_ROUND" "$CONCURRENCY"
