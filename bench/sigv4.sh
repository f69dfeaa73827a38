#!/usr/bin/env bash
# SigV4 per request, same run: AWSSDK.Core's AWS4Signer canonicalizing and signing a GetSecretValue request (the
# baseline) vs our signer, and vs our verifier doing all a server does. BenchmarkDotNet prints ns and bytes allocated
# per call and the ratio to the baseline. JOB=short (default) for a quick run, JOB=default for tighter intervals.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet run -c Release --project bench/SigV4 -- --filter '*' --job "${JOB:-short}" --artifacts artifacts/bench/sigv4
