#!/usr/bin/env bash
# Signed GetSecretValue, same run, rounds alternating: LocalAws vs moto's server with authentication ENFORCED vs a
# FLOOR (an unsigned Kestrel endpoint returning the same body). wrk replays one request signed by botocore; it runs
# pinned to core 0 and every server to core 1, and its CPU share is printed to show it is not the bottleneck.
# Prints requests/s and p50 per round, the medians and the ratios. Loopback only; bounded by ROUNDS × 3 × SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-5}
CONCURRENCY=${CONCURRENCY:-16}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
python -c "import botocore, moto" 2>/dev/null || { echo "botocore and moto are missing (pip install boto3 'moto[server]')" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
LOCALAWS=http://127.0.0.1:$(free_port) MOTO=http://127.0.0.1:$(free_port) FLOOR=http://127.0.0.1:$(free_port)

export AWS_ACCESS_KEY_ID="AKIA$(tr -dc 'A-Z2-7' </dev/urandom | head -c 16)"
export AWS_SECRET_ACCESS_KEY="$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
SECRET='{"API_KEY":"bench-api-key","DATABASE_URL":"postgres://bench","EXTERNAL_SERVICE_TOKEN":"bench-token"}'
helper=bench/SecretsThroughput/bin/Release/net10.0/Tap.Bench.SecretsThroughput.dll

echo "Building (Release)..."
dotnet build LocalAws/Server -c Release -v q -nologo >/dev/null
dotnet build bench/SecretsThroughput -c Release -v q -nologo >/dev/null
dotnet "$helper" --localaws-config "$work/localaws.json"

wait_for() { for _ in $(seq 1 150); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "$1 did not answer" >&2; exit 1; }
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  taskset -c 1 dotnet LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll --urls "$LOCALAWS" --config "$work/localaws.json" >"$work/localaws.log" 2>&1 &
pids+=($!)
# moto answers its first three calls unauthenticated (create the user, its policy, its key), then enforces SigV4.
INITIAL_NO_AUTH_ACTION_COUNT=3 taskset -c 1 python -m moto.server -p "${MOTO##*:}" >"$work/moto.log" 2>&1 &
pids+=($!)
wait_for "$LOCALAWS/health"; wait_for "$MOTO/moto-api/"

read -r MOTO_KEY MOTO_SECRET < <(
  aws --endpoint-url "$MOTO" iam create-user --user-name bench >/dev/null
  aws --endpoint-url "$MOTO" iam put-user-policy --user-name bench --policy-name secrets --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}'
  aws --endpoint-url "$MOTO" iam create-access-key --user-name bench --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
aws --endpoint-url "$LOCALAWS" secretsmanager create-secret --name bench/config --secret-string "$SECRET" >/dev/null
AWS_ACCESS_KEY_ID=$MOTO_KEY AWS_SECRET_ACCESS_KEY=$MOTO_SECRET \
  aws --endpoint-url "$MOTO" secretsmanager create-secret --name bench/config --secret-string "$SECRET" >/dev/null
if aws --endpoint-url "$MOTO" secretsmanager get-secret-value --secret-id bench/config >/dev/null 2>&1; then
  echo "moto answered a request signed with an unknown key: authentication is not enforced" >&2; exit 1
fi

# The floor returns LocalAws's own answer, byte for byte.
aws --endpoint-url "$LOCALAWS" secretsmanager get-secret-value --secret-id bench/config --output json >"$work/body.json"
taskset -c 1 dotnet "$helper" --floor "$FLOOR" "$work/body.json" >"$work/floor.log" 2>&1 &
pids+=($!)
wait_for "$FLOOR/"

# One wrk run: prints "<requests/s> <p50 ms> <non-2xx> <wrk CPU %>". A fresh signature per run (valid 5 minutes).
load() {
  local url=$1 key=$2 secret=$3 connections=${4:-$CONCURRENCY}
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret python bench/sign-request.py "$url" secretsmanager \
    secretsmanager.GetSecretValue '{"SecretId":"bench/config"}' "$work/request.lua"
  /usr/bin/time -f '%P' -o "$work/cpu" taskset -c 0 wrk -t1 -c"$connections" -d"${SECONDS_PER_ROUND}s" --latency \
    -s "$work/request.lua" "$url/" >"$work/wrk.out"
  awk -v cpu="$(tr -d '%' <"$work/cpu")" '
    /Requests\/sec/ {rps=$2}
    $1 == "50%" {v=$2; if (v ~ /us$/) p=v/1000; else if (v ~ /ms$/) p=v+0; else p=v*1000}
    /Non-2xx/ {bad=$5}
    END {printf "%.0f %.3f %d %s\n", rps, p, bad, cpu}' "$work/wrk.out"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# Warm-up, discarded: with the server's core saturated, tiered JIT needs longer than one round to finish.
SECONDS_PER_ROUND=$((SECONDS_PER_ROUND * 3)) load "$LOCALAWS" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >/dev/null
SECONDS_PER_ROUND=$((SECONDS_PER_ROUND * 3)) load "$FLOOR" - - >/dev/null
l_rps=(); l_p50=(); m_rps=(); m_p50=(); f_rps=(); f_p50=()
for round in $(seq 1 "$ROUNDS"); do
  read -r lr lp le lc < <(load "$LOCALAWS" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY")
  read -r mr mp me mc < <(load "$MOTO" "$MOTO_KEY" "$MOTO_SECRET")
  read -r fr fp fe fc < <(load "$FLOOR" - -)
  l_rps+=("$lr"); l_p50+=("$lp"); m_rps+=("$mr"); m_p50+=("$mp"); f_rps+=("$fr"); f_p50+=("$fp")
  echo "round $round: LocalAws $lr req/s p50 ${lp} ms (non-2xx $le, wrk CPU $lc%) | moto $mr req/s p50 ${mp} ms (non-2xx $me, wrk CPU $mc%) | floor $fr req/s p50 ${fp} ms (non-2xx $fe, wrk CPU $fc%)"
  if [ "$le" != 0 ] || [ "$me" != 0 ] || [ "$fe" != 0 ]; then echo "a target answered non-2xx: the figures are not comparable" >&2; exit 1; fi
done
read -r dr dp de dc < <(load "$FLOOR" - - $((CONCURRENCY * 2)))
echo "floor with twice the connections: $dr req/s (wrk CPU $dc%)"

lm=$(median "${l_rps[@]}"); mm=$(median "${m_rps[@]}"); fm=$(median "${f_rps[@]}")
echo "median requests/s: LocalAws $lm, moto $mm, floor $fm; p50 ms: LocalAws $(median "${l_p50[@]}"), moto $(median "${m_p50[@]}"), floor $(median "${f_p50[@]}")"
echo "ratio: LocalAws/moto $(awk -v a="$lm" -v b="$mm" 'BEGIN {printf "%.1f", a/b}')x, LocalAws/floor $(awk -v a="$lm" -v b="$fm" 'BEGIN {printf "%.2f", a/b}')x (wrk: 1 thread on core 0, $CONCURRENCY connections; servers on core 1; $ROUNDS rounds x ${SECONDS_PER_ROUND}s)"
