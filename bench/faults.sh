#!/usr/bin/env bash
# The fault and bad-input runs at full size; CI runs each once, briefly. Not a comparison: each run passes or fails.
#  1. LocalAws SIGKILLed during a loop of every kind of write, ROUNDS (10) times, each with its own seed (its own
#     operations and moment of the kill): every acknowledged change must be there after the restart.
#  2. Every property-based test for PROPERTY_SECONDS (15) seconds instead of its fixed count (CsCheck's
#     CsCheck_Time): the SigV4 verifier, the gateway, the Runtime API, Secrets Manager's operations, the payload 2.0
#     mapping. A failure prints the seed that reproduces it (CsCheck_Seed=…).
#  3. A function process killed mid-request in the whole app (the AppHost starts a new one), ROUNDS times.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-10}
PROPERTY_SECONDS=${PROPERTY_SECONDS:-15}
for project in Tests/Tap.LocalAws.Tests Tests/Tap.Aws.Core.Tests Tests/Tap.Amazon.Lambda.AspNetCoreServer.Hosting.Tests Tests/Tap.Integration.Tests; do
  dotnet build "$project" -nologo -v q >/dev/null
done

for seed in $(seq 1 "$ROUNDS"); do
  echo "== SIGKILL during mixed writes, seed $seed"
  TAP_CRASH_SEED=$seed dotnet test Tests/Tap.LocalAws.Tests --no-build --nologo \
    --filter "FullyQualifiedName~Tap.LocalAws.Tests.Reliability.MixedWriteCrashTests"
done

echo "== property-based tests, ${PROPERTY_SECONDS} s each"
for project in Tests/Tap.Aws.Core.Tests Tests/Tap.LocalAws.Tests Tests/Tap.Amazon.Lambda.AspNetCoreServer.Hosting.Tests; do
  CsCheck_Time=$PROPERTY_SECONDS dotnet test "$project" --no-build --nologo \
    --filter "FullyQualifiedName~PropertyTests|FullyQualifiedName~Whatever_a_client|FullyQualifiedName~any_field_missing"
done

echo "== a function process killed mid-request, $ROUNDS times in one app"
TAP_CRASH_ROUNDS=$ROUNDS dotnet test Tests/Tap.Integration.Tests --no-build --nologo \
  --filter "FullyQualifiedName~Tap.Integration.Tests.FunctionCrashTests.A_function_process_killed"
