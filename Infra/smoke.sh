#!/usr/bin/env bash
# Opt-in smoke test against a real AWS account: deploys TapStack, fills the secret's placeholder keys, assumes the
# invoker role with its external id and makes one SigV4-signed request. It creates billable resources; remove them
# with `npx cdk destroy` in Infra/ (the secret and the bucket are retained by design: delete them by hand).
#
# Needs: AWS credentials for the target account (any source the AWS CLI reads), the AWS CLI, Node (npm), curl,
# python3, the .NET SDK. Settings (environment variables):
#   ACCOUNT, REGION         where to deploy (required)
#   EXTERNAL_ID             the invoker role's external id (required; 2-1224 characters of [\w+=,.@:/-])
#   TAP_ENVIRONMENT         names the deployment (default: smoke)
#   DATABASE_URL, EXTERNAL_SERVICE_TOKEN   values for the secret's placeholder keys (optional; left empty if unset)
set -euo pipefail
cd "$(dirname "$0")"
: "${ACCOUNT:?set ACCOUNT}" "${REGION:?set REGION}" "${EXTERNAL_ID:?set EXTERNAL_ID}"
environment="${TAP_ENVIRONMENT:-smoke}"
# The CDK CLI package.json pins, installed once into node_modules/.
[[ -x node_modules/.bin/cdk ]] || npm ci --no-audit --no-fund --loglevel=error
cdk() { node_modules/.bin/cdk "$@" --no-notices; }
export CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

echo "1. Bootstrapping aws://$ACCOUNT/$REGION for the CDK (once per account and region)"
cdk bootstrap "aws://$ACCOUNT/$REGION"

echo "2. Deploying TapStack ($environment); the Function's Native AOT bootstrap is published if stale"
outputs="$(mktemp)"
trap 'rm -f "$outputs"' EXIT
cdk deploy TapStack -c "account=$ACCOUNT" -c "region=$REGION" -c "environment=$environment" \
  --parameters "InvokerExternalId=$EXTERNAL_ID" --outputs-file "$outputs" --require-approval never
output() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["TapStack"][sys.argv[2]])' "$outputs" "$1"; }
api_url="$(output ApiUrl)"; role_arn="$(output InvokerRoleArn)"; secret_arn="$(output SecretArn)"
echo "   API: $api_url"

echo "3. Filling the secret's placeholder keys (the generated API_KEY is kept; no value is printed)"
aws secretsmanager get-secret-value --region "$REGION" --secret-id "$secret_arn" --query SecretString --output text \
  | python3 -c 'import json,os,sys; v=json.load(sys.stdin); v.update({k: os.environ.get(k, v.get(k, "")) for k in ("DATABASE_URL","EXTERNAL_SERVICE_TOKEN")}); print(json.dumps(v))' \
  | aws secretsmanager put-secret-value --region "$REGION" --secret-id "$secret_arn" --secret-string file:///dev/stdin --query VersionId --output text >/dev/null

echo "4. Assuming the invoker role with the external id"
read -r key secret token < <(aws sts assume-role --region "$REGION" --role-arn "$role_arn" --role-session-name tap-smoke \
  --external-id "$EXTERNAL_ID" --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)

echo "5. One signed request, and one unsigned (which must be refused)"
signed="$(curl -sS -o /dev/stderr -w '%{http_code}' --aws-sigv4 "aws:amz:$REGION:execute-api" --user "$key:$secret" \
  -H "x-amz-security-token: $token" "$api_url/orders/42")"
unsigned="$(curl -sS -o /dev/null -w '%{http_code}' "$api_url/orders/42")"
echo
echo "   signed: $signed (expected 200), unsigned: $unsigned (expected 403)"
[[ "$signed" == 200 && "$unsigned" == 403 ]]
