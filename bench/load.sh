#!/usr/bin/env bash
# The gateway load run at full size: LocalAws as its own process, REQUESTS (10,000) signed requests at concurrency 64
# after as many to warm up, throttling off → all 200, LocalAws's open descriptors and resident memory at the end
# within 1.1× of halfway; then the stage's 50/100 throttle → only 200 and 429, totals exact. CI runs the same tests
# with 3,000 (Tests/Tap.LocalAws.Tests/Reliability/GatewayLoadTests.cs).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build Tests/Tap.LocalAws.Tests -nologo -v q >/dev/null
TAP_LOAD_REQUESTS=${REQUESTS:-10000} dotnet test Tests/Tap.LocalAws.Tests --no-build --nologo \
  --filter "FullyQualifiedName~Tap.LocalAws.Tests.Reliability.GatewayLoadTests" --logger "console;verbosity=normal"
