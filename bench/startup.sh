#!/usr/bin/env bash
# Start-up, same run, rounds alternating: `dotnet run --project AppHost` (built) until its API answers a signed
# request with 200 (LocalAws healthy, TapStack deployed and unchanged, the secret read back, the Function polling,
# the API running) vs a trivial one-project AppHost (bench/Startup) until its project answers. Reported beside them:
# a first start, which synthesizes TapStack and deploys it and the CDK bootstrap stack into an empty LocalAws (a data
# directory of its own, so .localaws/ is left alone). Both use the default ports (4566/4000, 4701 and the
# dashboard's 18888): stop anything holding them first. Prints each round, the medians and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-120}
echo "Building (Debug, as dotnet run does)..."
dotnet build AppHost -nologo -v q >/dev/null
dotnet build bench/Startup/TrivialAppHost -nologo -v q >/dev/null

invoker_credentials() {
  dotnet user-secrets list --project AppHost 2>/dev/null |
    awk -F' = ' '/invoker-access-key-id/ {k=$2} /invoker-secret-access-key/ {s=$2} END {if (k && s) print k ":" s}'
}

# Runs one AppHost in a session of its own; prints the seconds until probe succeeds, then stops the whole session
# (the AppHost, DCP and the resources it started) and waits for it to be gone.
time_until_ready() {
  local project=$1 probe=$2 start elapsed sid
  shift 2
  start=$(date +%s.%N)
  setsid dotnet run --project "$project" --no-build --launch-profile http -- "$@" >/tmp/tap-startup-bench.log 2>&1 &
  sid=$!
  until $probe; do
    sleep 0.1
    if awk -v s="$start" -v now="$(date +%s.%N)" -v t="$TIMEOUT_SECONDS" 'BEGIN {exit !(now - s > t)}'; then
      echo "$project was not ready within ${TIMEOUT_SECONDS}s; its output:" >&2; cat /tmp/tap-startup-bench.log >&2; pkill -9 -s "$sid" || true; exit 1
    fi
  done
  elapsed=$(awk -v s="$start" -v now="$(date +%s.%N)" 'BEGIN {printf "%.1f", now - s}')
  pkill -TERM -s "$sid" || true
  for _ in $(seq 1 150); do pgrep -s "$sid" >/dev/null || break; sleep 0.2; done
  pkill -9 -s "$sid" || true
  # DCP leaves its own session; it stops once the AppHost it monitors is gone.
  for _ in $(seq 1 150); do pgrep -f "dcp .*--monitor" >/dev/null || break; sleep 0.2; done
  echo "$elapsed"
}

# Read once (a probe that ran `dotnet user-secrets` would compete with the start it measures); the warm-up round
# generates them on a machine's first run.
CREDENTIALS=
tap_ready() {
  [ -n "$CREDENTIALS" ] || CREDENTIALS=$(invoker_credentials)
  [ -n "$CREDENTIALS" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 'aws:amz:us-east-1:execute-api' \
    --user "$CREDENTIALS" http://localhost:4000/prod/)" = 200 ]
}
trivial_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' http://localhost:4701/)" = 200 ]; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
FIRST_DATA=$(mktemp -d)
rm -rf artifacts/apphost
first=$(time_until_ready AppHost tap_ready "--LocalAws:DataDirectory=$FIRST_DATA")
rm -rf "$FIRST_DATA"
echo "first start (synthesis, CDK bootstrap and TapStack deployed into an empty LocalAws): ${first}s"
echo "warm-up (discarded): Tap AppHost $(time_until_ready AppHost tap_ready)s, trivial AppHost $(time_until_ready bench/Startup/TrivialAppHost trivial_ready)s"
CREDENTIALS=$(invoker_credentials)
tap=(); trivial=()
for round in $(seq 1 "$ROUNDS"); do
  t=$(time_until_ready AppHost tap_ready); tap+=("$t")
  f=$(time_until_ready bench/Startup/TrivialAppHost trivial_ready); trivial+=("$f")
  echo "round $round: Tap AppHost ${t}s, trivial AppHost ${f}s"
done
tm=$(median "${tap[@]}"); fm=$(median "${trivial[@]}")
echo "first start ${first}s; median: Tap AppHost ${tm}s, trivial AppHost ${fm}s, ratio $(awk -v a="$tm" -v b="$fm" 'BEGIN {printf "%.2f", a/b}')x ($ROUNDS rounds)"
