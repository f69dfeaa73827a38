#!/usr/bin/env bash
# Signed GetSecretValue throughput: LocalAws vs moto's server, same .NET client, same run, rounds alternating.
# Prints each round, the medians and the ratio. Loopback only; bounded in time (ROUNDS x 2 x SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-5}
CONCURRENCY=${CONCURRENCY:-16}
LOCALAWS_PORT=${LOCALAWS_PORT:-4610}
MOTO_PORT=${MOTO_PORT:-4611}
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

export AWS_ACCESS_KEY_ID="AKIA$(tr -dc 'A-Z2-7' </dev/urandom | head -c 16)"
export AWS_SECRET_ACCESS_KEY="$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""

echo "Building (Release)..."
dotnet build LocalAws -c Release -v q -nologo >/dev/null
dotnet build bench/SecretsThroughput -c Release -v q -nologo >/dev/null
dotnet bench/SecretsThroughput/bin/Release/net10.0/Tap.Bench.SecretsThroughput.dll --localaws-config "$work/localaws.json"

ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  dotnet LocalAws/bin/Release/net10.0/Tap.LocalAws.dll --urls "http://127.0.0.1:$LOCALAWS_PORT" --config "$work/localaws.json" >"$work/localaws.log" 2>&1 &
pids+=($!)
python -m moto.server -p "$MOTO_PORT" >"$work/moto.log" 2>&1 &
pids+=($!)
for url in "http://127.0.0.1:$LOCALAWS_PORT/health" "http://127.0.0.1:$MOTO_PORT/moto-api/"; do
  for _ in $(seq 1 100); do curl -sf "$url" >/dev/null && break; sleep 0.2; done
done

for port in "$LOCALAWS_PORT" "$MOTO_PORT"; do
  aws --endpoint-url "http://127.0.0.1:$port" secretsmanager create-secret --name bench/config \
    --secret-string '{"API_KEY":"x","DATABASE_URL":"y","EXTERNAL_SERVICE_TOKEN":"z"}' >/dev/null
done

run() { dotnet bench/SecretsThroughput/bin/Release/net10.0/Tap.Bench.SecretsThroughput.dll "http://127.0.0.1:$1" bench/config "$SECONDS_PER_ROUND" "$CONCURRENCY"; }
local_results=(); moto_results=()
for round in $(seq 1 "$ROUNDS"); do
  read -r l le < <(run "$LOCALAWS_PORT"); local_results+=("$l")
  read -r m me < <(run "$MOTO_PORT"); moto_results+=("$m")
  echo "round $round: LocalAws ${l} req/s (errors $le), moto ${m} req/s (errors $me)"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
lm=$(median "${local_results[@]}"); mm=$(median "${moto_results[@]}")
echo "median: LocalAws $lm req/s, moto $mm req/s, ratio $(awk -v a="$lm" -v b="$mm" 'BEGIN {printf "%.1f", a/b}')x (concurrency $CONCURRENCY, $ROUNDS x ${SECONDS_PER_ROUND}s each)"
