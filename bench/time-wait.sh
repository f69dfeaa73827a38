#!/usr/bin/env bash
# Invoke p50/p99 through AWS's shell-and-curl runtime (a connection per call), quiet and then with 9,000 TIME_WAIT
# sockets on the machine, and their ratio: what finding an environment per connection costs as sockets pile up.
# Needs curl. CALLS and TIME_WAIT override the counts. Loopback only; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build bench/TimeWait -c Release -nologo -v q >/dev/null
dotnet bench/TimeWait/bin/Release/net10.0/Tap.Bench.TimeWait.dll LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll \
  Tests/Tap.LocalAws.Tests/Lambda/bash_runtime.sh "${CALLS:-200}" "${TIME_WAIT:-9000}"
