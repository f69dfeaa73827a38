#!/usr/bin/env bash
# LocalAws's S3, same run, rounds alternating which goes first: PutObject and GetObject MB/s of one 12 MB object over
# HTTPS (LocalAws's own CA) vs plain HTTP: what TLS costs, as a ratio. Loopback only; ROUNDS × TRANSFERS of each.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
TRANSFERS=${TRANSFERS:-10}
dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build bench/S3Transfer -c Release -nologo -v q >/dev/null
dotnet bench/S3Transfer/bin/Release/net10.0/Tap.Bench.S3Transfer.dll \
  LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll "$ROUNDS" "$TRANSFERS"
