#!/usr/bin/env bash
# Deployed functions, same run, rounds alternating: TapStack's `create-stack` → CREATE_COMPLETE time in LocalAws
# (the Native AOT bootstrap's zip in the assets bucket), and the function's cold start as Lambda reports it (the
# REPORT line's Init Duration: process start → its first poll of the Runtime API) when LocalAws starts the deployed
# zip itself vs the same `bootstrap` started outside LocalAws and registered as an execution environment, as the
# AppHost does. LocalAws from localaws.example.json, on loopback; bounded by ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
PORT=${PORT:-4599}
out=artifacts/bench/deployed
mkdir -p "$out"
echo "Publishing the AOT bootstrap and building LocalAws and Infra (Release)..."
dotnet publish Function -c Release -r linux-x64 -o "$out/aot" -nologo -v q >/dev/null
dotnet build LocalAws/Server -c Release -nologo -v q >/dev/null
dotnet build Infra -c Release -nologo -v q >/dev/null

echo "Synthesizing TapStack with that bootstrap as the function's asset..."
rm -rf "$out/cdk.out"
CDK_OUTDIR="$out/cdk.out" CDK_CONTEXT_JSON="{\"functionAsset\":\"$PWD/$out/aot\",\"environment\":\"bench\"}" \
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 \
  dotnet Infra/bin/Release/net10.0/Tap.Infra.dll >/dev/null
template="$out/cdk.out/TapStack.template.json"
key=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(next(r['Properties']['Code']['S3Key'] for r in t['Resources'].values() if r['Type']=='AWS::Lambda::Function'))" "$template")
rm -f "$out/function.zip"
(cd "$out"/cdk.out/asset.* && zip -qr "$PWD/../../function.zip" . -x '*.dbg')

config="$PWD/LocalAws/Server/localaws.example.json"
LocalAws__LambdaIdleTimeoutSeconds=1 dotnet LocalAws/Server/bin/Release/net10.0/Tap.LocalAws.dll \
  --urls "http://127.0.0.1:$PORT" --config "$config" --Logging:LogLevel:Default=Warning >"$out/localaws.log" 2>&1 &
localaws=$!
trap 'kill $localaws 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.2; done

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AWS_DEFAULT_REGION=us-east-1
aws() { command aws --endpoint-url "http://127.0.0.1:$PORT" "$@"; }
aws s3 mb s3://cdk-hnb659fds-assets-000000000000-us-east-1 >/dev/null
aws s3 cp "$out/function.zip" "s3://cdk-hnb659fds-assets-000000000000-us-east-1/$key" >/dev/null
aws ssm put-parameter --name /cdk-bootstrap/hnb659fds/version --value 21 --type String >/dev/null
aws secretsmanager create-secret --name tap/api-config --secret-string '{"API_KEY":"bench"}' >/dev/null

# Text logs say "Init Duration: N ms" in REPORT; JSON logs (TapStack's) say "initDurationMs":N in platform.report.
init_duration() { base64 -d | grep -oE '(Init Duration: |"initDurationMs":)[0-9.]+' | grep -oE '[0-9.]+$' || echo NaN; }
status() { aws cloudformation describe-stacks --stack-name TapStack --query 'Stacks[0].StackStatus' --output text 2>/dev/null || echo GONE; }

create_ms=() wall_ms=() deployed_ms=() external_ms=()
for round in $(seq "$ROUNDS"); do
  start=$(date +%s%N)
  aws cloudformation create-stack --stack-name TapStack --template-body "file://$template" --capabilities CAPABILITY_IAM \
    --parameters ParameterKey=InvokerExternalId,ParameterValue=bench-external-id >/dev/null
  while [[ "$(status)" == CREATE_IN_PROGRESS ]]; do sleep 0.05; done
  wall_ms+=($(( ($(date +%s%N) - start) / 1000000 )))
  [[ "$(status)" == CREATE_COMPLETE ]] || { echo "create-stack ended $(status)"; exit 1; }
  # As CloudFormation reports it: the stack's CREATE_IN_PROGRESS event to its CREATE_COMPLETE one (the CLI's own
  # start-up, ~0.4 s a call, is in the wall-clock figure only).
  create_ms+=($(aws cloudformation describe-stack-events --stack-name TapStack --output json \
    --query "StackEvents[?LogicalResourceId=='TapStack' && (ResourceStatus=='CREATE_IN_PROGRESS' || ResourceStatus=='CREATE_COMPLETE')].Timestamp" \
    | python3 -c "import json,sys,datetime; t=sorted(datetime.datetime.fromisoformat(v.replace('Z','+00:00')) for v in json.load(sys.stdin)); print(round((t[-1]-t[0]).total_seconds()*1000))"))

  deployed_ms+=($(aws lambda invoke --function-name api-handler-bench --log-type Tail --payload '{}' /dev/null --query LogResult --output text | init_duration))

  # The same bootstrap as the AppHost runs it: started here, registered, its role's credentials from LocalAws.
  env -i PATH="$PATH" AWS_REGION=us-east-1 AWS_LAMBDA_FUNCTION_NAME=api-handler AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256 \
    AWS_LAMBDA_RUNTIME_API="127.0.0.1:$PORT/api-handler" SECRET_ID=tap/api-config AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" \
    AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$PORT/_localaws/container-credentials/api-handler-role" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=replace-with-a-random-token AWS_EC2_METADATA_DISABLED=true "$out/aot/bootstrap" >/dev/null 2>&1 &
  external=$!
  curl -sf --aws-sigv4 "aws:amz:us-east-1:localaws" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H 'Content-Type: application/json' \
    -d "{\"ProcessId\":$external}" "http://127.0.0.1:$PORT/_localaws/lambda/functions/api-handler/environments" >/dev/null
  external_ms+=($(aws lambda invoke --function-name api-handler --log-type Tail --payload '{}' /dev/null --query LogResult --output text | init_duration))
  kill "$external"; wait "$external" 2>/dev/null || true

  aws cloudformation delete-stack --stack-name TapStack
  while [[ "$(status)" == DELETE_IN_PROGRESS ]]; do sleep 0.05; done
  aws secretsmanager delete-secret --secret-id tap/api-config-bench --force-delete-without-recovery >/dev/null
  echo "round $round: create-stack ${create_ms[-1]} ms (${wall_ms[-1]} ms by the wall clock); Init Duration deployed ${deployed_ms[-1]} ms, external ${external_ms[-1]} ms"
  sleep 1.5
done

python3 - "${create_ms[*]}" "${wall_ms[*]}" "${deployed_ms[*]}" "${external_ms[*]}" <<'PY'
import statistics, sys
create, wall, deployed, external = ([float(v) for v in arg.split()] for arg in sys.argv[1:5])
print(f"TapStack create-stack → CREATE_COMPLETE: median {statistics.median(create):.0f} ms by its events (min {min(create):.0f}, max {max(create):.0f}); {statistics.median(wall):.0f} ms by the wall clock, CLI included")
d, e = statistics.median(deployed), statistics.median(external)
print(f"Init Duration, AOT: deployed zip started by LocalAws {d:.1f} ms vs the same bootstrap started outside and registered {e:.1f} ms: {d / e:.2f}×")
PY
