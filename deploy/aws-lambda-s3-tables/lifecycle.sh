#!/usr/bin/env bash
# otlp2parquet on AWS Lambda: setup, deploy, test, logs, status and delete of the stack in
# template.yaml. `./lifecycle.sh help` lists the commands, `./lifecycle.sh COMMAND --help` their
# flags; README.md next to this file explains the whole deployment.
#
# Environment:
#   AWS_REGION          default for --region (else us-west-2)
#   AWS_ENDPOINT_URL    default for --endpoint-url (an emulator such as moto_server)
#   O2P_RELEASE_URL     where release zips are downloaded from (deploy --version)
#   O2P_TEMPLATE        deploy this template instead of template.yaml (tests use it to deploy a
#                       variant an emulator understands)
#   O2P_STACK_OUTPUTS   where deploy and status save the outputs (default: stack-outputs.json here)
#   O2P_KEEP=1          test --local keeps its work directory
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
FIXTURES_DIR="$SCRIPT_DIR/fixtures"
STACK_OUTPUTS=${O2P_STACK_OUTPUTS:-"$SCRIPT_DIR/stack-outputs.json"}
TEMPLATE=${O2P_TEMPLATE:-"$SCRIPT_DIR/template.yaml"}
RELEASE_URL=${O2P_RELEASE_URL:-https://github.com/otlp2parquet/otlp2parquet/releases}
ROWS_HEADER=x-otlp2parquet-rows

# The seven tables: signal name, fixture file, OTLP/HTTP path, and what one row is (jq).
SIGNALS=(logs traces metrics_gauge metrics_sum metrics_histogram metrics_exponential_histogram metrics_summary)

# ---- options and their defaults ----------------------------------------------------------------
REGION=${AWS_REGION:-us-west-2}
STACK_NAME=otlp2parquet
DATABASE=otel
DATABASE_SET=false
ARCH=arm64
VERSION=latest
LOCAL_BINARY=
VERBOSE=false
SINCE=5m
FOLLOW=false
FORCE=false
RETAIN_BUCKET=false
ENDPOINT_URL=${AWS_ENDPOINT_URL:-}
MODE=
LOCAL=false
BINARY=
PARAMETERS=()

# ---- output ------------------------------------------------------------------------------------
if [ -t 1 ]; then
  C_BOLD=$'\033[1m' C_GREEN=$'\033[32m' C_YELLOW=$'\033[33m' C_RED=$'\033[31m' C_OFF=$'\033[0m'
else
  C_BOLD='' C_GREEN='' C_YELLOW='' C_RED='' C_OFF=''
fi
info() { printf '%s==>%s %s\n' "$C_GREEN" "$C_OFF" "$*"; }
warn() { printf '%swarning:%s %s\n' "$C_YELLOW" "$C_OFF" "$*" >&2; }
die() {
  printf '%serror:%s %s\n' "$C_RED" "$C_OFF" "$*" >&2
  exit 1
}
usage_error() {
  printf '%serror:%s %s\n' "$C_RED" "$C_OFF" "$1" >&2
  if [ -n "${2:-}" ]; then
    echo "Run './lifecycle.sh $2 --help' for the accepted flags." >&2
  else
    echo "Run './lifecycle.sh help' for the commands." >&2
  fi
  exit 2
}
section() { printf '\n%s### %s%s\n' "$C_BOLD" "$*" "$C_OFF"; }
verbose() { if [ "$VERBOSE" = true ]; then printf '    %s\n' "$*" >&2; fi; }

# The flags that select the same stack, for the "Next:" hints.
common_flags() {
  local flags=" --region $REGION"
  [ "$STACK_NAME" = otlp2parquet ] || flags+=" --stack-name $STACK_NAME"
  [ -z "$ENDPOINT_URL" ] || flags+=" --endpoint-url $ENDPOINT_URL"
  printf '%s' "$flags"
}
next_step() {
  printf '\n%sNext:%s ./lifecycle.sh %s%s\n' "$C_BOLD" "$C_OFF" "$1" "$(common_flags)"
  [ $# -lt 2 ] || printf '      %s\n' "${@:2}"
}

# ---- help --------------------------------------------------------------------------------------
usage() {
  cat <<'USAGE'
Usage: ./lifecycle.sh COMMAND [flags]

Commands:
  setup    check the S3 Tables / Glue integration; once the stack exists, make sure the Glue
           database exists and grant the function's role Lake Formation permissions
  deploy   upload the Lambda zip and create or update the CloudFormation stack
  test     send the bundled OTLP fixtures (7 tables) to the function, print a PASS/FAIL table
           (--local: run the bootstrap on this machine against a stand-in Lambda Runtime API)
  logs     print (or --follow) the function's CloudWatch logs
  status   print the stack's status and outputs, save them to stack-outputs.json
  delete   delete the stack (and its tables, data and deployment objects)
  help     this text

Flags shared by all commands:
  --region REGION        AWS region (default: $AWS_REGION, else us-west-2)
  --stack-name NAME      CloudFormation stack (default: otlp2parquet)
  --endpoint-url URL     send every AWS call to URL, e.g. moto_server (default: $AWS_ENDPOINT_URL)
  --verbose              print the AWS calls and full responses
  -h, --help             the flags of one command: ./lifecycle.sh deploy --help

Quick start:
  ./lifecycle.sh setup  --region us-west-2
  ./lifecycle.sh deploy --region us-west-2 --local-binary ../../build/lambda/bootstrap-arm64.zip
  ./lifecycle.sh test   --region us-west-2
  ./lifecycle.sh logs   --region us-west-2 --follow
USAGE
}

command_usage() {
  case $1 in
    setup)
      cat <<'USAGE'
Usage: ./lifecycle.sh setup [--region R] [--stack-name S] [--database DB] [--endpoint-url URL] [--verbose]

Checks that S3 Tables are integrated with the Glue Data Catalog (the s3tablescatalog catalog).
When the stack exists (Mode=iceberg): makes sure the Glue database of the namespace exists in
ACCOUNT:s3tablescatalog/TABLE_BUCKET, and grants the function's role Lake Formation permissions
on it (database: CREATE_TABLE, DESCRIBE, ALTER; its tables: SELECT, INSERT, DELETE, ALTER,
DESCRIBE). Before the first deploy it only checks; deploy runs the grants itself afterwards.

  --database DB   the namespace / Glue database when the stack does not say (default: otel)
USAGE
      ;;
    deploy)
      cat <<'USAGE'
Usage: ./lifecycle.sh deploy [--region R] [--stack-name S] [--arch arm64|amd64|x86_64]
                             [--version latest|TAG | --local-binary ZIP] [--mode iceberg|s3]
                             [--database DB] [--parameter KEY=VALUE]... [--endpoint-url URL] [--verbose]

Uploads the zip to s3://otlp2parquet-deployment-ACCOUNT-REGION/STACK/SHA256/bootstrap-ARCH.zip
(the bucket is created when missing) and creates or updates the stack from template.yaml
(O2P_TEMPLATE overrides it). Outputs are saved to stack-outputs.json. In Mode=iceberg the
Lake Formation grants of `setup` are applied afterwards.

  --arch ARCH           arm64 (default) or x86_64 (amd64 is accepted as x86_64)
  --local-binary ZIP    a zip with one executable named bootstrap, e.g. the output of
                        deploy/package/build_zip.sh (preferred)
  --version V           download bootstrap-ARCH.zip of release V (latest = the newest) from
                        $O2P_RELEASE_URL (default https://github.com/otlp2parquet/otlp2parquet/releases)
  --mode MODE           iceberg (S3 Tables through Glue, the default) or s3 (plain Parquet)
  --database DB         the Iceberg namespace (template parameter Namespace, default otel)
  --parameter K=V       any other template parameter, e.g. FunctionUrlAuthType=NONE,
                        ProvisionedConcurrency=2, MemorySize=1024, AlarmTopicArn=arn:...
Parameters not given keep their current value on an existing stack.
USAGE
      ;;
    test)
      cat <<'USAGE'
Usage: ./lifecycle.sh test [--region R] [--stack-name S] [--endpoint-url URL] [--verbose]
       ./lifecycle.sh test --local [--binary PATH] [--endpoint-url URL] [--verbose]

Sends fixtures/*.json (logs, traces and the five metric types) to the function as Function URL
events and checks for each: the invocation succeeded without a function error, the HTTP status
is 200, and the rows the function reports (x-otlp2parquet-rows) equal the records in the
fixture (rejected = partialSuccess in the answer). Prints a table and exits 1 if any row FAILs.

  --local        no AWS: start tests/fakes/lambda_runtime.py and the bootstrap on this machine.
                 Files go to a temporary directory, or, with --endpoint-url, to a new bucket at
                 that S3 endpoint (plain S3 mode; credentials come from the environment).
  --binary PATH  the bootstrap for --local (default: the newest of build/lambda/x86_64/bootstrap
                 and build/ci/src/main/bootstrap)
USAGE
      ;;
    logs)
      cat <<'USAGE'
Usage: ./lifecycle.sh logs [--region R] [--stack-name S] [--since 5m] [--follow] [--endpoint-url URL]

Prints the log lines of /aws/lambda/STACK-ingest.

  --since D   how far back: 30s, 5m, 2h, 1d, 1w (default 5m)
  --follow    keep printing new lines until Ctrl-C
USAGE
      ;;
    status)
      cat <<'USAGE'
Usage: ./lifecycle.sh status [--region R] [--stack-name S] [--endpoint-url URL]

Prints the stack's status and outputs and saves the outputs to stack-outputs.json.
USAGE
      ;;
    delete)
      cat <<'USAGE'
Usage: ./lifecycle.sh delete [--region R] [--stack-name S] [--force] [--retain-bucket] [--endpoint-url URL]

Deletes the stack. Before that it deletes the Iceberg tables in the table bucket (CloudFormation
cannot delete a table bucket that has tables) and empties the plain data bucket (Mode=s3). It
lists all of that and asks first. Afterwards it removes this stack's zips from the deployment
bucket, and the bucket itself when nothing else is left in it.

  --force          do not ask (needed when stdin is not a terminal)
  --retain-bucket  keep the deployment bucket and its zips
USAGE
      ;;
    *) usage ;;
  esac
}

# ---- arguments ---------------------------------------------------------------------------------
# parse_flags COMMAND ALLOWED_FLAGS... -- ARGS...
parse_flags() {
  local cmd=$1 allowed=" " flag value
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    allowed+="$1 "
    shift
  done
  shift
  while [ $# -gt 0 ]; do
    flag=$1
    value=
    if [[ "$flag" == --*=* ]]; then
      value=${flag#*=}
      flag=${flag%%=*}
      set -- "$flag" "$value" "${@:2}"
    fi
    case $flag in
      -h | --help)
        command_usage "$cmd"
        exit 0
        ;;
    esac
    if [[ "$allowed" != *" $flag "* ]]; then
      usage_error "$cmd: unknown flag '$flag'" "$cmd"
    fi
    case $flag in
      --verbose | --follow | --force | --retain-bucket | --local) ;;
      *)
        [ $# -ge 2 ] || usage_error "$cmd: $flag needs a value" "$cmd"
        value=$2
        [ -n "$value" ] || usage_error "$cmd: $flag needs a non-empty value" "$cmd"
        shift
        ;;
    esac
    case $flag in
      --region) REGION=$value ;;
      --stack-name) STACK_NAME=$value ;;
      --database)
        DATABASE=$value
        DATABASE_SET=true
        ;;
      --arch) ARCH=$value ;;
      --version) VERSION=$value ;;
      --local-binary) LOCAL_BINARY=$value ;;
      --mode) MODE=$value ;;
      --parameter) PARAMETERS+=("$value") ;;
      --since) SINCE=$value ;;
      --endpoint-url) ENDPOINT_URL=$value ;;
      --binary) BINARY=$value ;;
      --verbose) VERBOSE=true ;;
      --follow) FOLLOW=true ;;
      --force) FORCE=true ;;
      --retain-bucket) RETAIN_BUCKET=true ;;
      --local) LOCAL=true ;;
    esac
    shift
  done
  [[ "$REGION" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || usage_error "$cmd: '$REGION' is not an AWS region name" "$cmd"
  # The function is STACK-ingest (64 characters at most) and the default table bucket
  # STACK-tables (lower case, 63 at most).
  [[ "$STACK_NAME" =~ ^[a-z][a-z0-9-]{0,55}$ && "$STACK_NAME" != *- ]] ||
    usage_error "$cmd: stack name '$STACK_NAME' must be 1-56 lower-case letters, digits and hyphens, starting with a letter (it also names the function and the table bucket)" "$cmd"
  [[ "$DATABASE" =~ ^[a-z0-9][a-z0-9_]{0,254}$ ]] ||
    usage_error "$cmd: database '$DATABASE' must be lower-case letters, digits and underscores (S3 Tables namespace rules)" "$cmd"
  if [ -n "$ENDPOINT_URL" ] && [[ ! "$ENDPOINT_URL" =~ ^https?:// ]]; then
    usage_error "$cmd: --endpoint-url '$ENDPOINT_URL' must start with http:// or https://" "$cmd"
  fi
}

# ---- prerequisites -----------------------------------------------------------------------------
require_tools() {
  local tool missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  {
    echo "missing tools: ${missing[*]}"
    for tool in "${missing[@]}"; do
      case $tool in
        aws) echo "  aws: the AWS CLI, https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html" ;;
        jq) echo "  jq: apt-get install jq / brew install jq" ;;
        unzip) echo "  unzip: apt-get install unzip / brew install unzip" ;;
        curl) echo "  curl: apt-get install curl" ;;
        python3) echo "  python3: apt-get install python3" ;;
        sha256sum) echo "  sha256sum: GNU coreutils (macOS: brew install coreutils)" ;;
      esac
    done
  } >&2
  die "install the missing tools and run the command again"
}

AWS_CLI_MAJOR=
aws_cli_major() {
  if [ -z "$AWS_CLI_MAJOR" ]; then
    AWS_CLI_MAJOR=$(aws --version 2>&1 | sed -n 's|^aws-cli/\([0-9]*\)\..*|\1|p')
    AWS_CLI_MAJOR=${AWS_CLI_MAJOR:-2}
  fi
  printf '%s' "$AWS_CLI_MAJOR"
}

# awsc ARGS... : the AWS CLI with --region and, when set, --endpoint-url.
awsc() {
  local args=(--region "$REGION")
  [ -z "$ENDPOINT_URL" ] || args+=(--endpoint-url "$ENDPOINT_URL")
  verbose "aws ${args[*]} $*"
  aws "${args[@]}" "$@"
}

ACCOUNT_ID=
account_id() {
  if [ -z "$ACCOUNT_ID" ]; then
    local err
    err=$(mktemp)
    if ! ACCOUNT_ID=$(awsc sts get-caller-identity --query Account --output text 2>"$err"); then
      cat "$err" >&2
      rm -f "$err"
      die "no usable AWS credentials (aws sts get-caller-identity failed). Run 'aws configure' or export AWS_PROFILE / AWS_ACCESS_KEY_ID."
    fi
    rm -f "$err"
    [[ "$ACCOUNT_ID" =~ ^[0-9]{12}$ ]] || die "unexpected account id '$ACCOUNT_ID' from sts get-caller-identity"
  fi
  printf '%s' "$ACCOUNT_ID"
}

deployment_bucket() { printf 'otlp2parquet-deployment-%s-%s' "$(account_id)" "$REGION"; }

# ---- the stack ---------------------------------------------------------------------------------
STACK_JSON=
# load_stack : fills STACK_JSON with describe-stacks' stack; returns 1 when there is none.
load_stack() {
  local out
  if ! out=$(awsc cloudformation describe-stacks --stack-name "$STACK_NAME" --output json 2>/dev/null); then
    STACK_JSON=
    return 1
  fi
  STACK_JSON=$(jq -c '.Stacks[0] // empty' <<<"$out")
  [ -n "$STACK_JSON" ]
}
stack_status() { jq -r '.StackStatus // "UNKNOWN"' <<<"$STACK_JSON"; }
# stack_output KEY : the output's value, empty when absent.
stack_output() {
  jq -r --arg k "$1" '(.Outputs // [])[] | select(.OutputKey == $k) | .OutputValue // empty' <<<"$STACK_JSON"
}
stack_parameter() {
  jq -r --arg k "$1" '(.Parameters // [])[] | select(.ParameterKey == $k) | .ParameterValue // empty' <<<"$STACK_JSON"
}
stack_resource() {
  awsc cloudformation describe-stack-resource --stack-name "$STACK_NAME" --logical-resource-id "$1" \
    --query StackResourceDetail.PhysicalResourceId --output text 2>/dev/null | grep -v '^None$' || true
}

# Values of the deployed stack: from its outputs, else (an older stack, or an emulator that
# does not fill outputs in) from its parameters, resources and the template's naming rules.
stack_mode() {
  local v
  v=$(stack_output Mode)
  [ -n "$v" ] || v=$(stack_parameter Mode)
  printf '%s' "${v:-iceberg}"
}
stack_function_name() {
  local v
  v=$(stack_output FunctionName)
  [ -n "$v" ] || v=$(stack_resource IngestFunction)
  printf '%s' "${v:-$STACK_NAME-ingest}"
}
stack_namespace() {
  local v
  v=$(stack_output Namespace)
  [ -n "$v" ] || v=$(stack_parameter Namespace)
  printf '%s' "${v:-$DATABASE}"
}
stack_table_bucket_name() {
  local v
  v=$(stack_output TableBucketName)
  [ -n "$v" ] || v=$(stack_parameter TableBucketName)
  printf '%s' "${v:-$STACK_NAME-tables}"
}
stack_table_bucket_arn() {
  local v
  v=$(stack_output TableBucketArn)
  [ -n "$v" ] || v="arn:aws:s3tables:$REGION:$(account_id):bucket/$(stack_table_bucket_name)"
  printf '%s' "$v"
}
stack_role_arn() {
  local v name
  v=$(stack_output RoleArn)
  if [ -z "$v" ]; then
    name=$(stack_resource IngestRole)
    [ -z "$name" ] || v=$(awsc iam get-role --role-name "$name" --query Role.Arn --output text 2>/dev/null || true)
  fi
  printf '%s' "$v"
}
stack_data_bucket() {
  local v
  v=$(stack_output DataBucketName)
  [ -n "$v" ] || [ "$(stack_mode)" != s3 ] || v=$(stack_resource DataBucket)
  printf '%s' "$v"
}

save_outputs() {
  jq '.Outputs // []' <<<"$STACK_JSON" >"$STACK_OUTPUTS"
  if [ "$(jq 'length' "$STACK_OUTPUTS")" -eq 0 ]; then
    warn "the stack has no outputs (status $(stack_status)); wrote an empty list to $STACK_OUTPUTS"
    return 0
  fi
  info "Outputs (saved to $STACK_OUTPUTS):"
  jq -r '.[] | "  \(.OutputKey): \(.OutputValue)"' "$STACK_OUTPUTS"
}

# ---- setup -------------------------------------------------------------------------------------
# grant_catalog_access : in Mode=iceberg, the Glue database and the Lake Formation grants for the
# function's role. Problems are warnings: the caller may not be a Lake Formation administrator.
grant_catalog_access() {
  local account catalog_id namespace role ok=true
  account=$(account_id)
  if [ "$(stack_mode)" != iceberg ]; then
    info "Mode=s3: the function writes plain Parquet; no catalog permissions are needed."
    return 0
  fi
  catalog_id="$account:s3tablescatalog/$(stack_table_bucket_name)"
  namespace=$(stack_namespace)
  info "Glue database '$namespace' in catalog $catalog_id"
  local err
  if awsc glue get-database --catalog-id "$catalog_id" --name "$namespace" >/dev/null 2>&1; then
    info "  exists"
  elif err=$(awsc glue create-database --catalog-id "$catalog_id" \
    --database-input "$(jq -cn --arg n "$namespace" '{Name: $n, Description: "otlp2parquet OpenTelemetry tables"}')" 2>&1); then
    info "  created"
  elif [[ "$err" == *AlreadyExists* ]]; then
    info "  exists"
  else
    ok=false
    warn "could not create it: $err"
    warn "the stack's AWS::S3Tables::Namespace normally creates it; is S3 Tables integration with Glue enabled (run setup)?"
  fi
  role=$(stack_role_arn)
  if [ -z "$role" ]; then
    warn "the stack has no role yet; run setup again once deploy has finished"
    return 0
  fi
  info "Lake Formation grants for $role"
  if awsc lakeformation grant-permissions --principal "DataLakePrincipalIdentifier=$role" \
    --resource "$(jq -cn --arg c "$catalog_id" --arg n "$namespace" '{Database: {CatalogId: $c, Name: $n}}')" \
    --permissions CREATE_TABLE DESCRIBE ALTER >/dev/null; then
    info "  database $namespace: CREATE_TABLE, DESCRIBE, ALTER"
  else
    ok=false
  fi
  if awsc lakeformation grant-permissions --principal "DataLakePrincipalIdentifier=$role" \
    --resource "$(jq -cn --arg c "$catalog_id" --arg n "$namespace" '{Table: {CatalogId: $c, DatabaseName: $n, TableWildcard: {}}}')" \
    --permissions SELECT INSERT DELETE ALTER DESCRIBE >/dev/null; then
    info "  all tables of $namespace: SELECT, INSERT, DELETE, ALTER, DESCRIBE"
  else
    ok=false
  fi
  if [ "$ok" = false ]; then
    warn "some catalog steps failed. Granting needs a Lake Formation data lake administrator"
    warn "(Lake Formation console > Administrative roles). Until the grants exist, commits fail with AccessDenied in the function's logs."
  fi
}

cmd_setup() {
  parse_flags setup --region --stack-name --database --endpoint-url --verbose -- "$@"
  require_tools aws jq
  section "Setup: S3 Tables + Glue Data Catalog ($REGION)"
  local account
  account=$(account_id)
  info "Account $account"
  if AWS_MAX_ATTEMPTS=1 awsc glue get-catalog --catalog-id "$account:s3tablescatalog" >/dev/null 2>&1; then
    info "S3 Tables are integrated with the Glue Data Catalog ($account:s3tablescatalog)"
  else
    warn "could not find the Glue catalog $account:s3tablescatalog: S3 Tables may not be integrated"
    warn "with Glue in $REGION yet. Enable it once per account and region: S3 console > Table buckets >"
    warn "'Enable integration' (or see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-integrating-aws.html)."
  fi
  if load_stack; then
    info "Stack $STACK_NAME: $(stack_status)"
    grant_catalog_access
    next_step test "or, if the stack is older than the code you want: ./lifecycle.sh deploy$(common_flags)"
  else
    info "Stack $STACK_NAME does not exist yet: the table bucket and namespace '$DATABASE' are created by deploy,"
    info "which then grants the function's role Lake Formation permissions (the rest of setup)."
    next_step "deploy --local-binary ../../build/lambda/bootstrap-$ARCH.zip"
  fi
}

# ---- deploy ------------------------------------------------------------------------------------
# check_zip ZIP ARCH SCRATCH_FILE : a readable zip with an executable bootstrap for ARCH.
check_zip() {
  local zip=$1 arch=$2 head=$3 listing machine want
  [ -f "$zip" ] || die "zip not found: $zip"
  unzip -tq "$zip" >/dev/null 2>&1 || die "$zip is not a valid zip file (unzip -t failed)"
  listing=$(unzip -Z1 "$zip")
  grep -qx bootstrap <<<"$listing" ||
    die "$zip has no file named 'bootstrap' at its top level (it has: $(tr '\n' ' ' <<<"$listing")). Build it with deploy/package/build_zip.sh."
  unzip -Z "$zip" bootstrap | grep -q '^-..x' ||
    warn "bootstrap in $zip is not executable (Lambda answers Runtime.InvalidEntrypoint); zip it with mode 755"
  # The ELF header: magic, then e_machine (little endian) at offset 18: 62 = x86_64, 183 = aarch64.
  { unzip -p "$zip" bootstrap || true; } | head -c 20 >"$head"
  want=183
  [ "$arch" = arm64 ] || want=62
  if [ "$(wc -c <"$head")" -lt 20 ] || [ "$(od -An -t x1 -N 4 "$head" | tr -d ' \n')" != 7f454c46 ]; then
    warn "bootstrap in $zip is not an ELF executable; fine for an emulator, not for Lambda"
    return 0
  fi
  machine=$(od -An -t u1 -j 18 -N 2 "$head" | awk '{print $1 + 256 * $2}')
  if [ "$machine" != "$want" ]; then
    die "bootstrap in $zip is built for the wrong CPU (ELF machine $machine) for --arch $arch; build it with deploy/package/build_zip.sh --arch $arch or pass the matching --arch"
  fi
}

download_release() {
  local arch=$1 dest=$2 asset url
  asset="bootstrap-$arch.zip"
  if [ "$VERSION" = latest ]; then
    url="$RELEASE_URL/latest/download/$asset"
  else
    url="$RELEASE_URL/download/$VERSION/$asset"
  fi
  info "Downloading $url"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$dest" "$url" || die "download failed: $url (set O2P_RELEASE_URL, or build the zip and pass --local-binary)"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$dest" "$url" || die "download failed: $url (set O2P_RELEASE_URL, or build the zip and pass --local-binary)"
  else
    die "neither curl nor wget is installed; pass --local-binary"
  fi
}

cmd_deploy() {
  parse_flags deploy --region --stack-name --arch --version --local-binary --mode --database \
    --parameter --endpoint-url --verbose -- "$@"
  require_tools aws jq unzip sha256sum od
  case $ARCH in
    arm64 | aarch64) ARCH=arm64 ;;
    amd64 | x86_64) ARCH=x86_64 ;;
    *) usage_error "deploy: --arch must be arm64, amd64 or x86_64, not '$ARCH'" deploy ;;
  esac
  case $MODE in
    '' | iceberg | s3) ;;
    *) usage_error "deploy: --mode must be iceberg or s3, not '$MODE'" deploy ;;
  esac
  [ -f "$TEMPLATE" ] || die "template not found: $TEMPLATE"
  local p
  for p in "${PARAMETERS[@]}"; do
    [[ "$p" =~ ^[A-Za-z][A-Za-z0-9]*=.*$ ]] || usage_error "deploy: --parameter takes KEY=VALUE, not '$p'" deploy
    case ${p%%=*} in
      LambdaCodeBucket | LambdaCodeKey | Architecture | Mode | Namespace)
        usage_error "deploy: ${p%%=*} is set by --local-binary/--version, --arch, --mode and --database" deploy
        ;;
    esac
  done
  section "Deploy $STACK_NAME ($REGION, $ARCH)"
  if load_stack && [ "$(stack_status)" = ROLLBACK_COMPLETE ]; then
    die "the stack's first creation failed and was rolled back (ROLLBACK_COMPLETE); it cannot be updated. See why in the CloudFormation console's events, then run ./lifecycle.sh delete$(common_flags) --force and deploy again."
  fi
  local work zip bucket sha key
  work=$(mktemp -d)
  # shellcheck disable=SC2064  # expand now: $work is local
  trap "rm -rf '$work'" EXIT
  if [ -n "$LOCAL_BINARY" ]; then
    zip=$LOCAL_BINARY
    [ "$VERSION" = latest ] || warn "--version is ignored with --local-binary"
  else
    zip="$work/bootstrap-$ARCH.zip"
    download_release "$ARCH" "$zip"
  fi
  check_zip "$zip" "$ARCH" "$work/bootstrap.head"
  sha=$(sha256sum "$zip" | cut -d' ' -f1)
  info "Package $zip ($(wc -c <"$zip" | tr -d ' ') bytes, sha256 ${sha:0:16}…)"

  bucket=$(deployment_bucket)
  if awsc s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
    info "Deployment bucket s3://$bucket"
  else
    info "Creating deployment bucket s3://$bucket"
    if [ "$REGION" = us-east-1 ]; then
      awsc s3api create-bucket --bucket "$bucket" >/dev/null
    else
      awsc s3api create-bucket --bucket "$bucket" --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
    fi
    awsc s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
      BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true >/dev/null ||
      warn "could not block public access on s3://$bucket"
  fi
  key="$STACK_NAME/$sha/bootstrap-$ARCH.zip"
  if awsc s3api head-object --bucket "$bucket" --key "$key" >/dev/null 2>&1; then
    info "s3://$bucket/$key is already there"
  else
    awsc s3 cp --only-show-errors "$zip" "s3://$bucket/$key"
    info "Uploaded s3://$bucket/$key"
  fi

  local overrides=("LambdaCodeBucket=$bucket" "LambdaCodeKey=$key" "Architecture=$ARCH")
  [ -z "$MODE" ] || overrides+=("Mode=$MODE")
  [ "$DATABASE_SET" = false ] || overrides+=("Namespace=$DATABASE")
  overrides+=("${PARAMETERS[@]}")
  info "CloudFormation deploy ($(basename "$TEMPLATE")): ${overrides[*]}"
  local log="$work/deploy.log" rc=0
  awsc cloudformation deploy --template-file "$TEMPLATE" --stack-name "$STACK_NAME" \
    --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
    --tags application=otlp2parquet \
    --parameter-overrides "${overrides[@]}" >"$log" 2>&1 || rc=$?
  if [ "$VERBOSE" = true ]; then sed 's/^/    /' "$log"; fi
  if [ $rc -ne 0 ]; then
    # Real CloudFormation reports an empty change set in a way --no-fail-on-empty-changeset
    # accepts; some emulators refuse the change set with this message instead.
    if grep -q 'No updates are to be performed' "$log"; then
      info "No changes: the stack already runs this package and these parameters"
    else
      sed 's/^/    /' "$log" >&2
      if load_stack; then
        warn "stack status: $(stack_status). The failed resources:"
        awsc cloudformation describe-stack-events --stack-name "$STACK_NAME" --max-items 30 --output json 2>/dev/null |
          jq -r '.StackEvents[]? | select(.ResourceStatus | test("FAILED")) | "  \(.LogicalResourceId): \(.ResourceStatusReason // "")"' >&2 || true
      fi
      die "CloudFormation deploy failed"
    fi
  fi
  load_stack || die "the stack $STACK_NAME is not there after deploy"
  info "Stack $STACK_NAME: $(stack_status)"
  save_outputs
  section "Catalog access"
  grant_catalog_access
  next_step test "then send your own data: see 'Calling the Function URL' in README.md"
}

# ---- test --------------------------------------------------------------------------------------
fixture_path() { printf '%s/%s.json' "$FIXTURES_DIR" "$1"; }
otlp_path() {
  case $1 in
    logs) printf /v1/logs ;;
    traces) printf /v1/traces ;;
    *) printf /v1/metrics ;;
  esac
}
# expected_rows SIGNAL : rows the fixture holds for its table (log records, spans, data points).
expected_rows() {
  local file
  file=$(fixture_path "$1")
  case $1 in
    logs) jq '[.resourceLogs[]?.scopeLogs[]?.logRecords[]?] | length' "$file" ;;
    traces) jq '[.resourceSpans[]?.scopeSpans[]?.spans[]?] | length' "$file" ;;
    *)
      local kind
      case $1 in
        metrics_gauge) kind=gauge ;;
        metrics_sum) kind=sum ;;
        metrics_histogram) kind=histogram ;;
        metrics_exponential_histogram) kind=exponentialHistogram ;;
        metrics_summary) kind=summary ;;
      esac
      jq --arg k "$kind" '[.resourceMetrics[]?.scopeMetrics[]?.metrics[]? | (.[$k].dataPoints // [])[]] | length' "$file"
      ;;
  esac
}

# make_event SIGNAL OUT : the fixture as a Function URL (payload format 2.0) event. jq builds
# it, so "$default" stays a literal and the body is escaped correctly.
make_event() {
  local signal=$1 out=$2 now_ms
  now_ms=$(($(date +%s) * 1000))
  jq -n --rawfile body "$(fixture_path "$signal")" --arg path "$(otlp_path "$signal")" \
    --arg time "$(date -u '+%d/%b/%Y:%H:%M:%S +0000')" --argjson epoch "$now_ms" \
    --arg rid "lifecycle-$signal-$now_ms" '{
      version: "2.0",
      routeKey: "$default",
      rawPath: $path,
      rawQueryString: "",
      headers: {
        "content-type": "application/json",
        "host": "lifecycle-test.lambda-url.invalid",
        "user-agent": "otlp2parquet-lifecycle-test"
      },
      requestContext: {
        accountId: "anonymous",
        apiId: "lifecycle-test",
        domainName: "lifecycle-test.lambda-url.invalid",
        domainPrefix: "lifecycle-test",
        http: {method: "POST", path: $path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1",
               userAgent: "otlp2parquet-lifecycle-test"},
        requestId: $rid,
        routeKey: "$default",
        stage: "$default",
        time: $time,
        timeEpoch: $epoch
      },
      body: $body,
      isBase64Encoded: false
    }' >"$out"
}

# analyse_answer FILE : the function's answer (an HTTP response for the Function URL) as
# "status<TAB>written<TAB>rejected<TAB>note". written is "-" when the header is missing.
analyse_answer() {
  jq -r --arg h "$ROWS_HEADER" '
    def body_json:
      (.body // "") as $b
      | (if .isBase64Encoded == true then ($b | try @base64d catch "") else $b end)
      | (try fromjson catch null);
    if type != "object" then ["-", "-", "0", "the answer is not a JSON object"]
    elif has("statusCode") | not then
      ["-", "-", "0", "no statusCode in the answer: \(tojson | .[0:200])"]
    else
      (.headers // {} | to_entries | map(select(.key | ascii_downcase == $h)) | .[0].value // "-") as $rows
      | (body_json) as $j
      | (($j // {}) | (.partialSuccess // .partial_success // {})) as $p
      | ($p | (.rejectedLogRecords // .rejectedSpans // .rejectedDataPoints
               // .rejected_log_records // .rejected_spans // .rejected_data_points // 0)
           | tostring) as $rejected
      | [(.statusCode | tostring), ($rows | tostring), $rejected,
         (($p.errorMessage // $p.error_message // ($j // {}).error // ($j // {}).message // "") | tostring)]
    end | @tsv' "$1" 2>/dev/null || printf -- '-\t-\t0\tthe answer is not JSON\n'
}

RESULTS=()
FAILURES=0
# record SIGNAL STATUS SENT WRITTEN NOTE : one row of the summary.
record() {
  local signal=$1 status=$2 sent=$3 written=$4 note=$5 result=PASS
  if [ "$status" != 200 ]; then
    result=FAIL
    [ -n "$note" ] || note="HTTP status $status"
  elif [ "$written" = - ]; then
    result=FAIL
    note="no $ROWS_HEADER header in the answer (a bootstrap older than the deployment tooling?)"
  elif [ "$written" != "$sent" ]; then
    result=FAIL
    [ -n "$note" ] || note="$written of $sent rows written"
  fi
  [ "$result" = PASS ] || FAILURES=$((FAILURES + 1))
  RESULTS+=("$signal"$'\t'"$status"$'\t'"$sent"$'\t'"$written"$'\t'"$result"$'\t'"$note")
}

print_summary() {
  section "Summary"
  printf '%-31s %-7s %5s %8s  %s\n' signal status sent written result
  local row signal status sent written result note
  for row in "${RESULTS[@]}"; do
    IFS=$'\t' read -r signal status sent written result note <<<"$row"
    if [ "$result" = PASS ]; then
      printf '%-31s %-7s %5s %8s  %s%s%s\n' "$signal" "$status" "$sent" "$written" "$C_GREEN" "$result" "$C_OFF"
    else
      printf '%-31s %-7s %5s %8s  %s%s%s  %s\n' "$signal" "$status" "$sent" "$written" "$C_RED" "$result" "$C_OFF" "$note"
    fi
  done
  echo
  if [ "$FAILURES" -eq 0 ]; then
    info "${#RESULTS[@]} of ${#RESULTS[@]} signals PASS"
  else
    printf '%s%d of %d signals FAIL%s\n' "$C_RED" "$FAILURES" "${#RESULTS[@]}" "$C_OFF"
  fi
}

check_fixtures() {
  local signal
  for signal in "${SIGNALS[@]}"; do
    [ -f "$(fixture_path "$signal")" ] || die "fixture missing: $(fixture_path "$signal")"
  done
}

# invoke_aws SIGNAL EVENT WORKDIR FUNCTION : one invocation through the Lambda API.
invoke_aws() {
  local signal=$1 event=$2 work=$3 function=$4 sent meta answer err rc=0 ferr status written rejected note
  sent=$(expected_rows "$signal")
  meta="$work/$signal.meta.json"
  answer="$work/$signal.answer.json"
  err="$work/$signal.err"
  local binary_format=()
  [ "$(aws_cli_major)" = 1 ] || binary_format=(--cli-binary-format raw-in-base64-out)
  awsc lambda invoke --function-name "$function" "${binary_format[@]}" \
    --payload "file://$event" "$answer" --output json >"$meta" 2>"$err" || rc=$?
  if [ "$VERBOSE" = true ]; then
    echo "--- $signal: invoke result"
    cat "$meta" "$err" 2>/dev/null
    echo "--- $signal: answer"
    jq . "$answer" 2>/dev/null || cat "$answer" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ]; then
    if [ -n "$ENDPOINT_URL" ]; then
      cat "$err" >&2
      die "this endpoint cannot run Lambda functions ($ENDPOINT_URL); use test --local"
    fi
    record "$signal" - "$sent" - "invoke failed: $(tr '\n' ' ' <"$err" | cut -c1-200)"
    return 0
  fi
  ferr=$(jq -r '.FunctionError // empty' "$meta")
  if [ -n "$ferr" ]; then
    # An emulator without a Lambda runtime (moto without Docker) answers with a function error
    # whose payload is a plain message instead of {"errorType", "errorMessage"}.
    if [ -n "$ENDPOINT_URL" ] && ! jq -e 'type == "object" and has("errorType")' "$answer" >/dev/null 2>&1; then
      echo "the endpoint answered: $(head -c 300 "$answer")" >&2
      die "this endpoint cannot run Lambda functions ($ENDPOINT_URL); use test --local"
    fi
    record "$signal" - "$sent" - "function error ($ferr): $(jq -r '"\(.errorType // ""): \(.errorMessage // "")"' "$answer" 2>/dev/null | cut -c1-200)"
    return 0
  fi
  IFS=$'\t' read -r status written rejected note < <(analyse_answer "$answer")
  [ "$rejected" = 0 ] || note="rejected $rejected${note:+: $note}"
  record "$signal" "$status" "$sent" "$written" "$note"
}

cmd_test_aws() {
  require_tools aws jq
  check_fixtures
  load_stack || die "stack $STACK_NAME not found in $REGION; run ./lifecycle.sh deploy$(common_flags) first"
  local function work signal
  function=$(stack_function_name)
  section "Test $function ($REGION, Mode=$(stack_mode))"
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  for signal in "${SIGNALS[@]}"; do
    make_event "$signal" "$work/$signal.event.json"
    info "$signal -> $(otlp_path "$signal")"
    invoke_aws "$signal" "$work/$signal.event.json" "$work" "$function"
  done
  print_summary
  if [ "$FAILURES" -ne 0 ]; then
    echo "The function's side of the story: ./lifecycle.sh logs$(common_flags) --since 10m"
    exit 1
  fi
  if [ "$(stack_mode)" = iceberg ]; then
    next_step "logs --since 10m" "query the tables: see 'Querying' in README.md (Athena: SELECT count(*) FROM \"s3tablescatalog/$(stack_table_bucket_name)\".\"$(stack_namespace)\".\"logs\")"
  else
    next_step "logs --since 10m" "the files: aws s3 ls s3://$(stack_data_bucket)/ --recursive"
  fi
}

# ---- test --local --------------------------------------------------------------------------------
LOCAL_PIDS=()
LOCAL_WORK=
local_cleanup() {
  local pid
  for pid in "${LOCAL_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${LOCAL_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$LOCAL_WORK" ]; then
    if [ "${O2P_KEEP:-}" = 1 ]; then
      echo "work directory kept: $LOCAL_WORK" >&2
    else
      rm -rf "$LOCAL_WORK"
    fi
  fi
}

default_bootstrap() {
  local candidate newest=
  for candidate in "$REPO_ROOT/build/lambda/x86_64/bootstrap" "$REPO_ROOT/build/ci/src/main/bootstrap"; do
    [ -x "$candidate" ] || continue
    if [ -z "$newest" ] || [ "$candidate" -nt "$newest" ]; then newest=$candidate; fi
  done
  printf '%s' "$newest"
}

# control METHOD PATH [BODY_FILE] : a call to the stand-in runtime's control API.
control() {
  local args=(-sS --fail-with-body --max-time $((INVOKE_TIMEOUT + 10)) -X "$1")
  [ $# -lt 3 ] || args+=(-H 'content-type: application/json' --data-binary "@$3")
  curl "${args[@]}" "http://127.0.0.1:$RUNTIME_PORT$2"
}

dump_local_logs() {
  local log
  for log in "$LOCAL_WORK"/runtime.log "$LOCAL_WORK"/bootstrap.log; do
    [ -s "$log" ] || continue
    echo "--- last lines of $(basename "$log")" >&2
    tail -n 20 "$log" >&2
  done
}

RUNTIME_PORT=
INVOKE_TIMEOUT=${O2P_INVOKE_TIMEOUT:-60}
cmd_test_local() {
  require_tools jq curl python3
  check_fixtures
  local runtime="$REPO_ROOT/tests/fakes/lambda_runtime.py" bootstrap=${BINARY:-} bucket=
  [ -f "$runtime" ] || die "the stand-in Runtime API is missing: $runtime (test --local runs from a source checkout)"
  [ -n "$bootstrap" ] || bootstrap=$(default_bootstrap)
  [ -n "$bootstrap" ] || die "no bootstrap found (build/lambda/x86_64/bootstrap or build/ci/src/main/bootstrap); pass --binary PATH"
  [ -x "$bootstrap" ] || die "not an executable file: $bootstrap"
  LOCAL_WORK=$(mktemp -d)
  trap local_cleanup EXIT
  mkdir -p "$LOCAL_WORK/data"

  local env=(AWS_LAMBDA_FUNCTION_NAME="$STACK_NAME-ingest" AWS_LAMBDA_FUNCTION_VERSION=\$LATEST
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 AWS_REGION="$REGION")
  if [ -n "$ENDPOINT_URL" ]; then
    require_tools aws
    bucket="otlp2parquet-local-test-$(date +%s)-$$"
    info "Plain S3 mode against $ENDPOINT_URL: creating bucket $bucket"
    if [ "$REGION" = us-east-1 ]; then
      awsc s3api create-bucket --bucket "$bucket" >/dev/null
    else
      awsc s3api create-bucket --bucket "$bucket" --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
    fi
    env+=(OTLP2PARQUET_STORAGE_BACKEND=s3 OTLP2PARQUET_S3_BUCKET="$bucket" OTLP2PARQUET_S3_ENDPOINT="$ENDPOINT_URL"
      OTLP2PARQUET_S3_REGION="$REGION" OTLP2PARQUET_S3_ADDRESSING=path)
  else
    env+=(OTLP2PARQUET_STORAGE_BACKEND=local OTLP2PARQUET_STORAGE_PATH="$LOCAL_WORK/data")
  fi

  section "Test --local: $bootstrap"
  python3 "$runtime" --port 0 --port-file "$LOCAL_WORK/runtime.port" >"$LOCAL_WORK/runtime.log" 2>&1 </dev/null &
  LOCAL_PIDS+=($!)
  local _
  for _ in $(seq 100); do
    [ -s "$LOCAL_WORK/runtime.port" ] && break
    kill -0 "${LOCAL_PIDS[0]}" 2>/dev/null || break
    sleep 0.1
  done
  [ -s "$LOCAL_WORK/runtime.port" ] || {
    dump_local_logs
    die "the stand-in Runtime API did not start"
  }
  RUNTIME_PORT=$(tr -d '[:space:]' <"$LOCAL_WORK/runtime.port")
  info "Runtime API on 127.0.0.1:$RUNTIME_PORT"

  env "${env[@]}" AWS_LAMBDA_RUNTIME_API="127.0.0.1:$RUNTIME_PORT" "$bootstrap" \
    >"$LOCAL_WORK/bootstrap.log" 2>&1 </dev/null &
  local bootstrap_pid=$!
  LOCAL_PIDS+=("$bootstrap_pid")
  local ready=false
  for _ in $(seq 200); do
    if ! kill -0 "$bootstrap_pid" 2>/dev/null; then break; fi
    if control GET /_control/stats 2>/dev/null | jq -e '.waiting_for_next == true' >/dev/null 2>&1; then
      ready=true
      break
    fi
    sleep 0.1
  done
  if [ "$ready" != true ]; then
    local init_error
    init_error=$(control GET /_control/init_error 2>/dev/null | jq -c 'select(.error != null)' 2>/dev/null || true)
    [ -z "$init_error" ] || warn "the bootstrap reported an init error: $init_error"
    dump_local_logs
    die "the bootstrap did not ask for an invocation within 20 s (exited or stuck at init)"
  fi
  info "bootstrap waiting for invocations (pid $bootstrap_pid)"

  local signal sent reply kind status written rejected note
  for signal in "${SIGNALS[@]}"; do
    make_event "$signal" "$LOCAL_WORK/$signal.event.json"
    sent=$(expected_rows "$signal")
    info "$signal -> $(otlp_path "$signal")"
    reply="$LOCAL_WORK/$signal.reply.json"
    if ! control POST "/_control/invoke?timeout=$INVOKE_TIMEOUT" "$LOCAL_WORK/$signal.event.json" >"$reply" 2>"$LOCAL_WORK/$signal.err"; then
      record "$signal" - "$sent" - "no answer from the runtime: $(tr '\n' ' ' <"$LOCAL_WORK/$signal.err" "$reply" | cut -c1-200)"
      kill -0 "$bootstrap_pid" 2>/dev/null || {
        dump_local_logs
        die "the bootstrap exited"
      }
      continue
    fi
    [ "$VERBOSE" = false ] || jq . "$reply"
    kind=$(jq -r '.kind // empty' "$reply")
    if [ "$kind" != response ]; then
      record "$signal" - "$sent" - "function error: $(jq -r '"\(.error_type // "") \(.payload | tostring)"' "$reply" | cut -c1-200)"
      continue
    fi
    jq '.payload' "$reply" >"$LOCAL_WORK/$signal.answer.json"
    IFS=$'\t' read -r status written rejected note < <(analyse_answer "$LOCAL_WORK/$signal.answer.json")
    [ "$rejected" = 0 ] || note="rejected $rejected${note:+: $note}"
    record "$signal" "$status" "$sent" "$written" "$note"
  done

  local violations
  violations=$(control GET /_control/stats | jq -c '.violations // []')
  if [ "$violations" != "[]" ]; then
    warn "the bootstrap broke the Runtime API rules: $violations"
    RESULTS+=("runtime-api"$'\t'"-"$'\t'"-"$'\t'"-"$'\t'"FAIL"$'\t'"violations: ${violations:0:200}")
    FAILURES=$((FAILURES + 1))
  fi
  print_summary
  if [ -n "$bucket" ]; then
    info "$(awsc s3 ls "s3://$bucket" --recursive | grep -c '\.parquet$' || true) Parquet files in s3://$bucket"
  else
    info "$(find "$LOCAL_WORK/data" -name '*.parquet' | wc -l | tr -d ' ') Parquet files under the work directory"
  fi
  if [ "$FAILURES" -ne 0 ]; then
    dump_local_logs
    exit 1
  fi
  next_step deploy "to run the same checks on AWS: ./lifecycle.sh test$(common_flags)"
}

cmd_test() {
  parse_flags test --region --stack-name --endpoint-url --verbose --local --binary -- "$@"
  if [ "$LOCAL" = true ]; then
    cmd_test_local
  else
    [ -z "$BINARY" ] || usage_error "test: --binary needs --local" test
    cmd_test_aws
  fi
}

# ---- logs --------------------------------------------------------------------------------------
# since_ms D : D (30s, 5m, 2h, 1d, 1w) ago in epoch milliseconds.
since_ms() {
  local n=${1%?} unit=${1: -1} seconds
  [[ "$1" =~ ^[0-9]+[smhdw]$ ]] || usage_error "logs: --since must look like 30s, 5m, 2h, 1d or 1w, not '$1'" logs
  case $unit in
    s) seconds=$n ;;
    m) seconds=$((n * 60)) ;;
    h) seconds=$((n * 3600)) ;;
    d) seconds=$((n * 86400)) ;;
    w) seconds=$((n * 604800)) ;;
  esac
  printf '%s' $((($(date +%s) - seconds) * 1000))
}

# The AWS CLI v1 has no `logs tail`: page through filter-log-events instead.
logs_v1() {
  local group=$1 start next out count=0 token
  start=$(since_ms "$SINCE")
  while true; do
    token=
    next=$start
    while true; do
      local args=(logs filter-log-events --log-group-name "$group" --start-time "$start" --output json)
      [ -z "$token" ] || args+=(--next-token "$token")
      out=$(awsc "${args[@]}") || die "could not read log group $group (does the stack exist? see ./lifecycle.sh status)"
      count=$((count + $(jq '.events | length' <<<"$out")))
      jq -r '.events[] | "\((.timestamp / 1000 | floor | todate)) \(.message | rtrimstr("\n"))"' <<<"$out"
      next=$(jq -r --argjson s "$next" '[.events[].timestamp + 1, $s] | max | floor' <<<"$out")
      token=$(jq -r '.nextToken // empty' <<<"$out")
      [ -n "$token" ] || break
    done
    [ "$FOLLOW" = true ] || break
    start=$next
    sleep 5
  done
  [ "$count" -gt 0 ] || [ "$FOLLOW" = true ] || warn "no log lines in the last $SINCE"
}

cmd_logs() {
  parse_flags logs --region --stack-name --since --follow --endpoint-url --verbose -- "$@"
  require_tools aws jq
  since_ms "$SINCE" >/dev/null
  local function group
  if load_stack; then
    function=$(stack_function_name)
  else
    function="$STACK_NAME-ingest"
    warn "stack $STACK_NAME not found; trying the log group of $function anyway"
  fi
  group="/aws/lambda/$function"
  section "Logs of $group (since $SINCE$([ "$FOLLOW" = false ] || echo ', following'))"
  if [ "$(aws_cli_major)" = 1 ]; then
    logs_v1 "$group"
  else
    local args=(logs tail "$group" --since "$SINCE" --format short)
    [ "$FOLLOW" = false ] || args+=(--follow)
    awsc "${args[@]}" || die "could not read log group $group"
  fi
  [ "$FOLLOW" = true ] || next_step status
}

# ---- status ------------------------------------------------------------------------------------
cmd_status() {
  parse_flags status --region --stack-name --endpoint-url --verbose -- "$@"
  require_tools aws jq
  section "Status of $STACK_NAME ($REGION)"
  if ! load_stack; then
    warn "stack $STACK_NAME does not exist in $REGION"
    next_step deploy
    exit 1
  fi
  info "Stack status: $(stack_status)"
  save_outputs
  case $(stack_status) in
    *_COMPLETE) next_step test ;;
    *) next_step status "the stack is changing or failed; see the CloudFormation console's events tab" ;;
  esac
}

# ---- delete ------------------------------------------------------------------------------------
cmd_delete() {
  parse_flags delete --region --stack-name --force --retain-bucket --endpoint-url --verbose -- "$@"
  require_tools aws jq
  section "Delete $STACK_NAME ($REGION)"
  local exists=false data_bucket='' table_arn='' tables=() deployment answer
  if load_stack; then
    exists=true
    data_bucket=$(stack_data_bucket)
    table_arn=$(stack_table_bucket_arn)
    local listing
    if listing=$(awsc s3tables list-tables --table-bucket-arn "$table_arn" --output json 2>/dev/null); then
      mapfile -t tables < <(jq -r '.tables[]? | "\(.namespace | join(".")) \(.name)"' <<<"$listing")
    fi
  else
    warn "stack $STACK_NAME does not exist in $REGION"
  fi
  deployment=$(deployment_bucket)

  echo "This deletes:"
  if [ "$exists" = true ]; then
    echo "  - stack $STACK_NAME: the function, its URL, role, log group and alarms, and the table bucket"
    echo "    $table_arn"
    if [ ${#tables[@]} -gt 0 ]; then
      echo "  - ${#tables[@]} Iceberg table(s) in that bucket, with all their data:"
      printf '      %s\n' "${tables[@]}"
    fi
    [ -z "$data_bucket" ] || echo "  - every object in s3://$data_bucket (the plain Parquet files) and the bucket"
  fi
  [ "$RETAIN_BUCKET" = true ] || echo "  - this stack's zips in s3://$deployment (and the bucket, if nothing else is left in it)"
  if [ "$FORCE" != true ]; then
    if [ ! -t 0 ]; then
      die "stdin is not a terminal: pass --force to delete without asking"
    fi
    read -r -p "Continue? (yes/no) " answer
    [[ "$answer" =~ ^[Yy][Ee][Ss]$ ]] || {
      info "Nothing deleted."
      exit 0
    }
  fi

  local failed=false
  if [ "$exists" = true ]; then
    local entry
    for entry in "${tables[@]}"; do
      info "Deleting table ${entry/ /.}"
      awsc s3tables delete-table --table-bucket-arn "$table_arn" --namespace "${entry%% *}" --name "${entry#* }" ||
        warn "could not delete table ${entry/ /.}; the table bucket will not delete while it has tables"
    done
    if [ -n "$data_bucket" ]; then
      info "Emptying s3://$data_bucket"
      awsc s3 rm "s3://$data_bucket" --recursive --only-show-errors ||
        warn "could not empty s3://$data_bucket; deleting the stack will fail on it"
    fi
    info "Deleting stack $STACK_NAME"
    awsc cloudformation delete-stack --stack-name "$STACK_NAME"
    if awsc cloudformation wait stack-delete-complete --stack-name "$STACK_NAME"; then
      info "Stack deleted"
    else
      failed=true
      warn "the stack did not delete completely. Resources that failed:"
      awsc cloudformation describe-stack-events --stack-name "$STACK_NAME" --max-items 30 --output json 2>/dev/null |
        jq -r '.StackEvents[]? | select(.ResourceStatus == "DELETE_FAILED") | "  \(.LogicalResourceId): \(.ResourceStatusReason // "")"' >&2 || true
      warn "a table bucket with tables cannot be deleted: list them with"
      warn "  aws s3tables list-tables --table-bucket-arn $table_arn --region $REGION"
      warn "delete them (or run this command again with --force), then delete the stack again."
    fi
  fi
  rm -f "$STACK_OUTPUTS"

  if [ "$RETAIN_BUCKET" = true ]; then
    info "Keeping s3://$deployment"
  elif awsc s3api head-bucket --bucket "$deployment" >/dev/null 2>&1; then
    info "Removing s3://$deployment/$STACK_NAME/"
    awsc s3 rm "s3://$deployment/$STACK_NAME/" --recursive --only-show-errors || warn "could not remove the zips"
    local left
    left=$(awsc s3api list-objects-v2 --bucket "$deployment" --max-items 1 --output json 2>/dev/null | jq '.Contents // [] | length' || echo 1)
    if [ "$left" = 0 ]; then
      if awsc s3api delete-bucket --bucket "$deployment"; then
        info "Removed the empty bucket s3://$deployment"
      else
        warn "could not remove s3://$deployment"
      fi
    else
      info "s3://$deployment holds other stacks' zips: kept"
    fi
  fi
  [ "$failed" = false ] || exit 1
  next_step "deploy" "to start again"
}

# ---- main --------------------------------------------------------------------------------------
main() {
  local cmd=${1:-help}
  [ $# -eq 0 ] || shift
  case $cmd in
    setup) cmd_setup "$@" ;;
    deploy) cmd_deploy "$@" ;;
    test) cmd_test "$@" ;;
    logs) cmd_logs "$@" ;;
    status) cmd_status "$@" ;;
    delete) cmd_delete "$@" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      usage_error "unknown command '$cmd'"
      ;;
  esac
}

main "$@"
