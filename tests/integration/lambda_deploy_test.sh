#!/usr/bin/env bash
# The Lambda deployment tooling in deploy/aws-lambda-s3-tables/, without AWS:
#   1. static checks: cfn-lint on template.yaml, shellcheck and bash -n on lifecycle.sh, the
#      fixtures are OTLP/JSON with the record counts the test command expects;
#   2. lifecycle.sh's command line: help, unknown commands and flags, bad values;
#   3. every lifecycle.sh command against moto_server through --endpoint-url, with dummy
#      credentials: setup, deploy (twice: the second is a no-op), setup again, status, logs,
#      test (moto cannot run a Lambda function without Docker: the script must say so),
#      test --local (when BOOTSTRAP is given), delete --force; in Mode=iceberg and Mode=s3.
#
# moto 5.2.1's CloudFormation knows neither AWS::S3Tables::* nor AWS::Lambda::Url, Alias,
# AWS::CloudWatch::Alarm or AWS::S3::BucketPolicy, and deploys through change sets without
# filling in outputs. So the stacks here come from tests/integration/moto_template.py (the real
# template minus what moto cannot create; see that file), handed to lifecycle.sh through
# O2P_TEMPLATE, and the checks are about the script's flow: exit codes, messages, the uploaded
# zip, the function's configuration, the tables and buckets it empties and removes.
#
# Usage: lambda_deploy_test.sh SOURCE_DIR [BOOTSTRAP]      (KEEP=1 keeps the work directory)
#   BOOTSTRAP: the Lambda bootstrap (or otlp2parquet) built for this machine; it is zipped and
#   deployed, and `test --local` runs it. Without it a dummy zip is deployed and test --local
#   is skipped.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 SOURCE_DIR [BOOTSTRAP]" >&2
  exit 2
fi
src=$(realpath "$1")
bootstrap=
[ $# -lt 2 ] || bootstrap=$(realpath "$2")
dir="$src/deploy/aws-lambda-s3-tables"
lifecycle="$dir/lifecycle.sh"
work=$(mktemp -d)
stack=o2p-ci
stack_s3=o2p-ci-plain
region=us-west-2

# shellcheck source=tests/integration/moto_lib.sh
source "$src/tests/integration/moto_lib.sh"

cleanup() {
  moto_stop
  if [ -n "${KEEP:-}" ]; then echo "lambda_deploy_test: work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { echo "lambda_deploy_test: $*"; }
fail() {
  echo "lambda_deploy_test: FAIL: $*" >&2
  if [ -n "${last_log:-}" ] && [ -f "$last_log" ]; then
    echo "--- output of the last lifecycle.sh run ($last_log)" >&2
    tail -n 40 "$last_log" >&2
  fi
  [ ! -f "$work/moto.log" ] || { echo "--- tail of moto.log" >&2; grep -v '" 200 -$' "$work/moto.log" | tail -n 15 >&2; }
  exit 1
}

# run NAME EXPECTED_RC ARGS... : lifecycle.sh ARGS with stdin from /dev/null, output in
# $work/NAME.log; fails unless the exit status is EXPECTED_RC ("nonzero" = anything but 0).
run() {
  local name=$1 expected=$2 rc=0
  shift 2
  last_log="$work/$name.log"
  "$lifecycle" "$@" </dev/null >"$last_log" 2>&1 || rc=$?
  if [ "$expected" = nonzero ]; then
    [ "$rc" -ne 0 ] || fail "lifecycle.sh $* exited 0, expected a failure"
  else
    [ "$rc" -eq "$expected" ] || fail "lifecycle.sh $* exited $rc, expected $expected"
  fi
}
# expect TEXT : the last run's output contains TEXT.
expect() {
  grep -qF -- "$1" "$last_log" || fail "the output of $(basename "$last_log" .log) lacks: $1"
}
reject() {
  if grep -qF -- "$1" "$last_log"; then fail "the output of $(basename "$last_log" .log) has: $1"; fi
}

# The Python tools (aws, cfn-lint, moto_server) straight from python3's bin directory when they
# are there: a version-manager shim (pyenv) doubles the start-up time of each of the ~100 calls.
py_bin=$(python3 -c 'import os, sys; print(os.path.dirname(sys.executable))')
if [ -x "$py_bin/aws" ]; then PATH="$py_bin:$PATH"; fi

# ---- 1. static checks ----------------------------------------------------------------------------
for tool in cfn-lint shellcheck jq unzip python3 moto_server aws; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (tools/setup.sh installs it)"
done
step "cfn-lint $(cfn-lint --version 2>&1 | tr -d '\n')"
cfn-lint --regions us-west-2 us-east-1 eu-west-1 -- "$dir/template.yaml" ||
  fail "cfn-lint found problems in template.yaml"
step "shellcheck $(shellcheck --version | sed -n 's/^version: //p'), bash -n"
bash -n "$lifecycle" || fail "bash -n lifecycle.sh"
shellcheck "$lifecycle" || fail "shellcheck lifecycle.sh"
shellcheck -x -P "$src" "$src/tests/integration/lambda_deploy_test.sh" || fail "shellcheck lambda_deploy_test.sh"

declare -A expected_rows=([logs]=3 [traces]=3 [metrics_gauge]=3 [metrics_sum]=3 [metrics_histogram]=2
  [metrics_exponential_histogram]=1 [metrics_summary]=1)
for signal in "${!expected_rows[@]}"; do
  file="$dir/fixtures/$signal.json"
  [ -f "$file" ] || fail "fixture missing: $file"
  case $signal in
    logs) count=$(jq '[.resourceLogs[].scopeLogs[].logRecords[]] | length' "$file") ;;
    traces) count=$(jq '[.resourceSpans[].scopeSpans[].spans[]] | length' "$file") ;;
    *) count=$(jq '[.resourceMetrics[].scopeMetrics[].metrics[] | to_entries[] | .value | objects | .dataPoints // empty | .[]] | length' "$file") ;;
  esac
  [ "$count" = "${expected_rows[$signal]}" ] || fail "$signal.json holds $count records, expected ${expected_rows[$signal]}"
done
step "7 fixtures, $(IFS=+; echo "$((${expected_rows[*]}))") records"

# ---- 2. the command line ---------------------------------------------------------------------------
run help 0 help
expect "Quick start"
run no-command 0
expect "Usage: ./lifecycle.sh COMMAND"
run unknown-command 2 frobnicate
expect "unknown command 'frobnicate'"
for command in setup deploy test logs status delete; do
  run "help-$command" 0 "$command" --help
  expect "Usage: ./lifecycle.sh $command"
  run "unknown-flag-$command" 2 "$command" --no-such-flag
  expect "unknown flag '--no-such-flag'"
done
run bad-arch 2 deploy --arch sparc --local-binary /nonexistent.zip
expect "--arch must be arm64, amd64 or x86_64"
run bad-stack-name 2 status --stack-name Has_Upper
expect "must be 1-56 lower-case letters"
run missing-value 2 logs --since
expect "--since needs a value"
run bad-since 2 logs --since 5 minutes
run binary-without-local 2 test --binary /bin/true
expect "--binary needs --local"
step "command line: help, unknown commands and flags, bad values"

# ---- 3. against moto_server ---------------------------------------------------------------------------
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=$region
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_DEFAULT_REGION AWS_ENDPOINT_URL
export O2P_STACK_OUTPUTS="$work/stack-outputs.json"
moto_start "$work"
step "moto_server $(python3 -c 'import moto; print(moto.__version__)') at $MOTO_ENDPOINT, $(aws --version 2>&1 | cut -d' ' -f1)"
ep=(--endpoint-url "$MOTO_ENDPOINT")
awsm() { aws --endpoint-url "$MOTO_ENDPOINT" --region "$region" "$@"; }
account=$(awsm sts get-caller-identity --query Account --output text)
deployment_bucket="otlp2parquet-deployment-$account-$region"

# The package: the real bootstrap, or a stand-in that is only ever uploaded.
mkdir -p "$work/pkg"
if [ -n "$bootstrap" ]; then
  cp "$bootstrap" "$work/pkg/bootstrap"
  machine=$(od -An -t u1 -j 18 -N 2 "$bootstrap" | awk '{print $1 + 256 * $2}')
  case $machine in
    62) arch=x86_64 other_arch=arm64 ;;
    183) arch=arm64 other_arch=x86_64 ;;
    *) fail "$bootstrap is not an x86_64 or aarch64 ELF executable (machine $machine)" ;;
  esac
else
  printf '#!/bin/sh\necho "a stand-in; moto never runs it" >&2\nexit 1\n' >"$work/pkg/bootstrap"
  arch=arm64 other_arch=x86_64
fi
python3 - "$work/pkg/bootstrap" "$work/bootstrap.zip" "$work/no-bootstrap.zip" <<'EOF'
import sys, zipfile
source, good, bad = sys.argv[1:4]
with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
    info = zipfile.ZipInfo("bootstrap")
    info.external_attr = 0o100755 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, open(source, "rb").read())
with zipfile.ZipFile(bad, "w") as z:
    z.writestr("otlp2parquet", b"not named bootstrap")
EOF
sha=$(sha256sum "$work/bootstrap.zip" | cut -d' ' -f1)

python3 "$src/tests/integration/moto_template.py" "$dir/template.yaml" IsIceberg=true IsPlainS3=false \
  HasProvisionedConcurrency=false >"$work/moto-iceberg.json" 2>"$work/moto-template.log" ||
  fail "moto_template.py: $(cat "$work/moto-template.log")"
python3 "$src/tests/integration/moto_template.py" "$dir/template.yaml" IsIceberg=false IsPlainS3=true \
  HasProvisionedConcurrency=false >"$work/moto-s3.json" 2>>"$work/moto-template.log" ||
  fail "moto_template.py: $(cat "$work/moto-template.log")"
step "$(grep -m 1 '^moto_template: removed' "$work/moto-template.log")"

# A zip that is not a Lambda package is refused before anything is uploaded.
run deploy-no-bootstrap 1 deploy "${ep[@]}" --stack-name "$stack" --local-binary "$work/no-bootstrap.zip"
expect "has no file named 'bootstrap'"
if [ -n "$bootstrap" ]; then
  run deploy-wrong-arch 1 deploy "${ep[@]}" --stack-name "$stack" --local-binary "$work/bootstrap.zip" --arch "$other_arch"
  expect "built for the wrong CPU"
fi
if awsm s3api head-bucket --bucket "$deployment_bucket" >/dev/null 2>&1; then
  fail "a refused package still created the deployment bucket"
fi

# setup before the stack exists: checks only, points at deploy.
run setup-before 0 setup "${ep[@]}" --stack-name "$stack"
expect "Account $account"
expect "does not exist yet"
expect "Next: ./lifecycle.sh deploy"

# deploy (Mode=iceberg, the default)
export O2P_TEMPLATE="$work/moto-iceberg.json"
run deploy 0 deploy "${ep[@]}" --stack-name "$stack" --local-binary "$work/bootstrap.zip" --arch "$arch"
expect "Creating deployment bucket s3://$deployment_bucket"
expect "Stack $stack: CREATE_COMPLETE"
expect "Lake Formation grants for arn:aws:iam::$account:role/"
expect "Next: ./lifecycle.sh test"
awsm s3api head-object --bucket "$deployment_bucket" --key "$stack/$sha/bootstrap-$arch.zip" >/dev/null ||
  fail "the zip is not at s3://$deployment_bucket/$stack/$sha/bootstrap-$arch.zip"
jq -e 'type == "array"' "$O2P_STACK_OUTPUTS" >/dev/null || fail "deploy did not save the outputs as a JSON array"
awsm lambda get-function-configuration --function-name "$stack-ingest" >"$work/function.json" ||
  fail "the function $stack-ingest does not exist"
# (moto's CloudFormation ignores Architectures; the parameter is checked below instead)
jq -e --arg acct "$account" --arg stack "$stack" '
  .Runtime == "provided.al2023" and .Handler == "bootstrap"
  and .MemorySize == 512 and .Timeout == 60
  and .Environment.Variables.OTLP2PARQUET_ICEBERG_REST_URI == "https://glue.us-west-2.amazonaws.com/iceberg"
  and .Environment.Variables.OTLP2PARQUET_ICEBERG_WAREHOUSE == "\($acct):s3tablescatalog/\($stack)-tables"
  and .Environment.Variables.OTLP2PARQUET_ICEBERG_NAMESPACE == "otel"
  and .Environment.Variables.OTLP2PARQUET_ICEBERG_SIGNING_NAME == "glue"
  and .Environment.Variables.OTLP2PARQUET_ICEBERG_SIGNING_REGION == "us-west-2"
  and .Environment.Variables.OTLP2PARQUET_LOG_FORMAT == "json"
  and (.Environment.Variables | has("OTLP2PARQUET_S3_BUCKET") | not)' "$work/function.json" >/dev/null ||
  fail "the function's configuration is not the iceberg one: $(jq -c '{Runtime, Handler, Architectures, MemorySize, Timeout, Environment}' "$work/function.json")"
awsm cloudformation describe-stacks --stack-name "$stack" --output json >"$work/stack.json"
jq -e --arg arch "$arch" --arg key "$stack/$sha/bootstrap-$arch.zip" --arg bucket "$deployment_bucket" '
  .Stacks[0].Parameters | from_entries as $p
  | $p.Architecture == $arch and $p.LambdaCodeKey == $key and $p.LambdaCodeBucket == $bucket' \
  <(jq '.Stacks[0].Parameters |= map({key: .ParameterKey, value: .ParameterValue}) ' "$work/stack.json") >/dev/null ||
  fail "the stack's parameters are wrong: $(jq -c '.Stacks[0].Parameters' "$work/stack.json")"
awsm logs describe-log-groups --log-group-name-prefix "/aws/lambda/$stack-ingest" \
  --query 'logGroups[0].retentionInDays' --output text | grep -qx 14 ||
  fail "the log group /aws/lambda/$stack-ingest with 14 days retention is missing"
step "deploy: zip uploaded, stack created, function configured for Iceberg, grants applied"

run deploy-again 0 deploy "${ep[@]}" --stack-name "$stack" --local-binary "$work/bootstrap.zip" --arch "$arch"
expect "is already there"
expect "Stack $stack: CREATE_COMPLETE"
step "deploy again: no changes, exit 0"

run setup-after 0 setup "${ep[@]}" --stack-name "$stack"
expect "Glue database 'otel' in catalog $account:s3tablescatalog/$stack-tables"
expect "all tables of otel: SELECT, INSERT, DELETE, ALTER, DESCRIBE"
awsm glue get-database --catalog-id "$account:s3tablescatalog/$stack-tables" --name otel >/dev/null ||
  fail "setup did not create the Glue database"
step "setup: Glue database and Lake Formation grants"

run status 0 status "${ep[@]}" --stack-name "$stack"
expect "Stack status: CREATE_COMPLETE"
[ -f "$O2P_STACK_OUTPUTS" ] || fail "status did not save $O2P_STACK_OUTPUTS"
run status-missing 1 status "${ep[@]}" --stack-name no-such-stack
expect "does not exist"

run logs 0 logs "${ep[@]}" --stack-name "$stack" --since 10m
expect "Logs of /aws/lambda/$stack-ingest"
step "status and logs"

run test-moto nonzero test "${ep[@]}" --stack-name "$stack"
expect "this endpoint cannot run Lambda functions"
expect "use test --local"
step "test against moto: refused clearly (no Lambda runtime without Docker)"

if [ -n "$bootstrap" ]; then
  run test-local 0 test --local --binary "$bootstrap"
  expect "7 of 7 signals PASS"
  reject "FAIL"
  run test-local-s3 0 test --local --binary "$bootstrap" "${ep[@]}"
  expect "7 of 7 signals PASS"
  expect "Parquet files in s3://otlp2parquet-local-test-"
  step "test --local: 7 of 7 signals PASS, local files and moto S3"
else
  step "test --local skipped (no BOOTSTRAP given)"
fi

# What CloudFormation would have created and moto cannot: the table bucket, its namespace, and
# a table the function would have made.
table_bucket_arn=$(awsm s3tables create-table-bucket --name "$stack-tables" --query arn --output text)
awsm s3tables create-namespace --table-bucket-arn "$table_bucket_arn" --namespace otel >/dev/null
awsm s3tables create-table --table-bucket-arn "$table_bucket_arn" --namespace otel --name logs --format ICEBERG >/dev/null

run delete-no-tty 1 delete "${ep[@]}" --stack-name "$stack"
expect "pass --force"
expect "1 Iceberg table(s)"
awsm cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1 || fail "delete without --force deleted the stack"

# ---- Mode=s3 on a second stack, sharing the deployment bucket --------------------------------------
export O2P_TEMPLATE="$work/moto-s3.json"
run deploy-s3 0 deploy "${ep[@]}" --stack-name "$stack_s3" --local-binary "$work/bootstrap.zip" --arch "$arch" --mode s3
expect "Mode=s3: the function writes plain Parquet"
data_bucket=$(awsm cloudformation describe-stack-resource --stack-name "$stack_s3" --logical-resource-id DataBucket \
  --query StackResourceDetail.PhysicalResourceId --output text)
awsm lambda get-function-configuration --function-name "$stack_s3-ingest" >"$work/function-s3.json"
jq -e --arg b "$data_bucket" '.Environment.Variables.OTLP2PARQUET_S3_BUCKET == $b
  and .Environment.Variables.OTLP2PARQUET_S3_REGION == "us-west-2"
  and .Environment.Variables.OTLP2PARQUET_STORAGE_BACKEND == "s3"
  and (.Environment.Variables | keys | map(select(startswith("OTLP2PARQUET_ICEBERG_"))) | length == 0)' \
  "$work/function-s3.json" >/dev/null ||
  fail "the Mode=s3 function's environment is wrong: $(jq -c .Environment "$work/function-s3.json")"
echo parquet >"$work/part.parquet"
awsm s3 cp --only-show-errors "$work/part.parquet" "s3://$data_bucket/logs/service_name=ci/part.parquet"
step "deploy --mode s3: data bucket $data_bucket, function configured for plain S3"

run delete-s3 0 delete "${ep[@]}" --stack-name "$stack_s3" --force
expect "Emptying s3://$data_bucket"
expect "Stack deleted"
expect "holds other stacks' zips: kept"
if awsm s3api list-objects-v2 --bucket "$data_bucket" --output json 2>/dev/null | jq -e '(.Contents // []) | length > 0' >/dev/null; then
  fail "delete left objects in s3://$data_bucket"
fi
if awsm cloudformation describe-stacks --stack-name "$stack_s3" >/dev/null 2>&1; then fail "the stack $stack_s3 is still there"; fi
if awsm s3api head-object --bucket "$deployment_bucket" --key "$stack_s3/$sha/bootstrap-$arch.zip" >/dev/null 2>&1; then
  fail "delete left the stack's zip in the deployment bucket"
fi
step "delete (Mode=s3): data bucket emptied, stack gone, shared deployment bucket kept"

export O2P_TEMPLATE="$work/moto-iceberg.json"
run delete 0 delete "${ep[@]}" --stack-name "$stack" --force
expect "Deleting table otel.logs"
expect "Stack deleted"
expect "Removed the empty bucket s3://$deployment_bucket"
[ "$(awsm s3tables list-tables --table-bucket-arn "$table_bucket_arn" --query 'length(tables)' --output text)" = 0 ] ||
  fail "delete left tables in $table_bucket_arn"
if awsm cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1; then fail "the stack $stack is still there"; fi
if awsm s3api head-bucket --bucket "$deployment_bucket" >/dev/null 2>&1; then fail "the deployment bucket is still there"; fi
[ ! -f "$O2P_STACK_OUTPUTS" ] || fail "delete left $O2P_STACK_OUTPUTS"
step "delete (Mode=iceberg): tables deleted, stack gone, deployment bucket removed"

run delete-again 0 delete "${ep[@]}" --stack-name "$stack" --force --retain-bucket
expect "does not exist"
step "PASS"
