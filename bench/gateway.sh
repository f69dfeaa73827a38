#!/usr/bin/env bash
# The HTTP API gateway's cost, same run, rounds alternating: a SigV4-signed GET through LocalAws's gateway → Runtime
# API → the Function in Lambda mode, vs the same Function build under Kestrel called directly (unsigned). p50, p99
# and requests/s with one caller and with CONCURRENCY callers; throttling is off for the run. Loopback only. With
# taskset, the load generator runs on core 0 and every server on core 1 (SERVER_CPUS), and the load generator's CPU
# share is printed. It also counts Secrets Manager reads per 1,000 warm requests. The gateway path runs twice, in two
# LocalAws processes exporting over OTLP every second (to a sink in the load generator), with metrics on and with
# OTEL_METRICS_EXPORTER=none: the metrics' cost, p50 and requests/s, in the same run.
# ENVIRONMENTS (default 1) Function processes serve the gateway, each one invocation at a time, as in Lambda.
# FUNCTION=path/to/bootstrap measures the Native AOT build instead of the JIT one.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-5}
CONCURRENCY=${CONCURRENCY:-16}
dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build Function -c Release -nologo -v q >/dev/null
dotnet build bench/Gateway -c Release -nologo -v q >/dev/null
pin=()
if command -v taskset >/dev/null; then
  export SERVER_CPUS=${SERVER_CPUS:-1}
  pin=(taskset -c "${CLIENT_CPUS:-0}")
fi
"${pin[@]}" dotnet bench/Gateway/bin/Release/net10.0/Tap.Bench.Gateway.dll \
  LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll "${FUNCTION:-Function/bin/Release/net10.0/Tap.Function.dll}" \
  "$ROUNDS" "$SECONDS_PER_ROUND" "$CONCURRENCY" "${ENVIRONMENTS:-1}"
