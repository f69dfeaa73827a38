#!/usr/bin/env bash
# `cdk deploy` of TapStack into LocalAws, from the CLI's start to its outputs file (synth, asset publishing through
# the bootstrap roles over HTTPS, the change set, CREATE_COMPLETE), vs `cdk synth` alone, in the same run with rounds
# alternating; both run the app as `npx cdk` does in Infra/ (cdk.json's `dotnet run`), with the Native AOT bootstrap
# already published as the function's asset. Each deploy round creates the stack; the destroy after it is not timed.
# LocalAws (Release) from localaws.example.json, HTTPS on loopback; bounded by ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
PORT=${PORT:-4598}
HTTPS_PORT=${HTTPS_PORT:-4597}
out=$PWD/artifacts/bench/cdk-deploy
rm -rf "$out" && mkdir -p "$out/home"
echo "Publishing the AOT bootstrap, building LocalAws (Release) and Infra, installing the pinned CDK CLI..."
dotnet publish Function -c Release -r linux-x64 -o "$out/aot" -nologo -v q >/dev/null
dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build Infra -nologo -v q >/dev/null
[[ -x Infra/node_modules/.bin/cdk ]] || npm ci --prefix Infra --no-audit --no-fund --loglevel=error

dotnet LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll --urls "http://127.0.0.1:$PORT;https://127.0.0.1:$HTTPS_PORT" \
  --config "$PWD/LocalAws/Server/localaws.example.json" --Logging:LogLevel:Default=Warning >"$out/localaws.log" 2>&1 &
localaws=$!
trap 'kill $localaws 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/_localaws/ca.pem" >"$out/ca.pem"; do sleep 0.2; done

# Only the endpoint, the CA bundle and LocalAws's credentials differ from a deployment to AWS.
export HOME=$out/home AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=https://127.0.0.1:$HTTPS_PORT AWS_CA_BUNDLE=$out/ca.pem CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
context=(-c environment=bench -c "functionAsset=$out/aot")
cdk() { (cd Infra && node_modules/.bin/cdk "$@" --no-notices >>"$out/cdk.log" 2>&1); }
aws() { command aws --endpoint-url "http://127.0.0.1:$PORT" "$@"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo "Bootstrapping (once)..."
cdk bootstrap aws://000000000000/us-east-1 "${context[@]}"

synth_ms=() deploy_ms=()
for round in $(seq "$ROUNDS"); do
  start=$(date +%s%N)
  cdk synth "${context[@]}" -q
  synth_ms+=($(ms_since "$start"))

  start=$(date +%s%N)
  cdk deploy "${context[@]}" --require-approval never --parameters InvokerExternalId=bench-external-id --outputs-file "$out/outputs.json"
  deploy_ms+=($(ms_since "$start"))
  [[ -s "$out/outputs.json" ]] || { echo "cdk deploy wrote no outputs; see $out/cdk.log"; exit 1; }

  cdk destroy "${context[@]}" --force
  aws secretsmanager delete-secret --secret-id tap/api-config-bench --force-delete-without-recovery >/dev/null
  rm -f "$out/outputs.json"
  echo "round $round: cdk synth ${synth_ms[-1]} ms, cdk deploy ${deploy_ms[-1]} ms"
done

python3 - "${synth_ms[*]}" "${deploy_ms[*]}" <<'PY'
import statistics, sys
synth, deploy = ([float(v) for v in arg.split()] for arg in sys.argv[1:3])
s, d = statistics.median(synth), statistics.median(deploy)
print(f"cdk synth median {s:.0f} ms (min {min(synth):.0f}, max {max(synth):.0f}); cdk deploy into LocalAws median {d:.0f} ms (min {min(deploy):.0f}, max {max(deploy):.0f}): {d / s:.2f}× synth (target ≤ 2×)")
PY
