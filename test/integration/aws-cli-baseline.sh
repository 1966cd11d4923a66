#!/usr/bin/env bash
# Baseline for the benchmark "deploy wall time next to the AWS CLI": the AWS CLI deploys the same three
# stages against moto (our launcher), passing outputs along by hand, then invokes the client once.
#
#   test/integration/aws-cli-baseline.sh                 # starts its own moto on a free 127.0.0.1 port
#   MOTO_ENDPOINT=http://127.0.0.1:5077 test/integration/aws-cli-baseline.sh   # uses a running one
#
# Human-readable timings go to stderr; the last line on stdout is one JSON object:
#   {"tool":"aws-cli","stage1Ms":..,"stage2Ms":..,"stage3Ms":..,"deployMs":..,"invokeMs":..,"totalMs":..}
# The stacks are deleted afterwards (not timed). Only 127.0.0.1 is ever contacted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
templates="$(cd "$here/../../templates" && pwd)"
name="${NAME:-clibase}"
region_a="${REGION_A:-us-east-1}"
region_b="${REGION_B:-eu-west-1}"

scratch="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [[ -n "$moto_pid" ]]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# Nothing from a real AWS configuration: no profile, no keys, no files, no instance metadata.
for var in $(env | grep -o '^AWS_[A-Z_]*' || true); do unset "$var"; done
: >"$scratch/config"
: >"$scratch/credentials"
export AWS_CONFIG_FILE="$scratch/config" AWS_SHARED_CREDENTIALS_FILE="$scratch/credentials"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
export AWS_DEFAULT_REGION="$region_a" AWS_PAGER=""

if [[ -n "${MOTO_ENDPOINT:-}" ]]; then
  endpoint="$MOTO_ENDPOINT"
else
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  endpoint="http://127.0.0.1:$port"
  python3 "$here/moto/launcher.py" --port "$port" >"$scratch/moto.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 1 200); do
    curl -fsS -o /dev/null "$endpoint/moto-api/" 2>/dev/null && break
    kill -0 "$moto_pid" 2>/dev/null || { cat "$scratch/moto.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fsS -o /dev/null "$endpoint/moto-api/" || { echo "moto did not start" >&2; cat "$scratch/moto.log" >&2; exit 1; }
fi
case "$endpoint" in http://127.0.0.1:*) ;; *) echo "refusing a non-loopback endpoint: $endpoint" >&2; exit 2 ;; esac
export AWS_ENDPOINT_URL="$endpoint"
curl -fsS -o /dev/null -X POST -H 'content-type: application/json' -d '{"lambda":{"use_docker":false}}' \
  "$endpoint/moto-api/config"

# Warm moto up (not timed): its first CloudFormation/EC2 call in a region loads the backends.
warm() { # region service body
  curl -fsS -o /dev/null -X POST "$endpoint/" -H 'content-type: application/x-www-form-urlencoded' \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/$1/$2/aws4_request, SignedHeaders=host, Signature=0" \
    -d "$3"
}
for region in "$region_a" "$region_b"; do
  warm "$region" cloudformation 'Action=ListStacks&Version=2010-05-15'
  warm "$region" ec2 'Action=DescribeVpcs&Version=2016-11-15'
done

# Two zones per VPC, as the tool's preflight chooses them: the launcher's account refuses the first zone by
# name of each region (execute-api missing from use1-az3 and euw1-az3, Lambda refusing use1-az3).
zones_a=(AvailabilityZone1="${region_a}b" AvailabilityZone2="${region_a}c")
zones_b=(AvailabilityZone1="${region_b}b" AvailabilityZone2="${region_b}c")

now_ms() { date +%s%3N; }
declare -A out
read_outputs() { # region stack: one describe-stacks call, every output into ${out[key]}
  local key value
  while IFS=$'\t' read -r key value; do out[$key]="$value"; done < <(
    aws cloudformation describe-stacks --region "$1" --stack-name "$2" \
      --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text)
}

t0=$(now_ms)
aws cloudformation deploy --region "$region_a" --stack-name "$name-api" \
  --template-file "$templates/1-api.yaml" --no-fail-on-empty-changeset \
  --parameter-overrides DeploymentName="$name" VpcCidr=10.10.0.0/16 Subnet1Cidr=10.10.1.0/24 \
  Subnet2Cidr=10.10.2.0/24 ClientVpcCidr=10.20.0.0/16 "${zones_a[@]}" >&2
t1=$(now_ms)

read_outputs "$region_a" "$name-api"
aws cloudformation deploy --region "$region_b" --stack-name "$name-client" \
  --template-file "$templates/2-client.yaml" --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
  --parameter-overrides DeploymentName="$name" VpcCidr=10.20.0.0/16 Subnet1Cidr=10.20.1.0/24 \
  Subnet2Cidr=10.20.2.0/24 ApiRegion="$region_a" ApiVpcId="${out[VpcId]}" \
  ApiVpcCidr="${out[VpcCidr]}" ApiId="${out[ApiId]}" ApiStageName="${out[StageName]}" \
  ApiEndpointDnsName="${out[EndpointDnsName]}" ApiEndpointHostedZoneId="${out[EndpointHostedZoneId]}" \
  "${zones_b[@]}" >&2
t2=$(now_ms)

endpoint_group="${out[EndpointSecurityGroupId]}"
out=()
read_outputs "$region_b" "$name-client"
aws cloudformation deploy --region "$region_a" --stack-name "$name-routes" \
  --template-file "$templates/3-routes.yaml" --no-fail-on-empty-changeset \
  --parameter-overrides DeploymentName="$name" ClientVpcCidr="${out[VpcCidr]}" \
  PeeringConnectionId="${out[PeeringConnectionId]}" \
  RouteTableIds="/xregion-private-api/$name/route-table-ids" \
  EndpointSecurityGroupId="$endpoint_group" EndpointAdmittedCidr=10.20.0.0/16 >&2
t3=$(now_ms)

aws lambda invoke --region "$region_b" --function-name "${out[FunctionName]}" \
  --payload '{}' "$scratch/answer.json" >/dev/null
t4=$(now_ms)

for stack in "$region_a $name-routes" "$region_b $name-client" "$region_a $name-api"; do
  set -- $stack
  aws cloudformation delete-stack --region "$1" --stack-name "$2"
done

{
  echo "AWS CLI $(aws --version 2>&1 | cut -d' ' -f1) against moto at $endpoint"
  echo "  stage 1 (api, $region_a):     $((t1 - t0)) ms"
  echo "  stage 2 (client, $region_b):  $((t2 - t1)) ms"
  echo "  stage 3 (routes, $region_a):  $((t3 - t2)) ms"
  echo "  deploy total:                 $((t3 - t0)) ms"
  echo "  one invoke:                   $((t4 - t3)) ms"
  echo "  deploy + invoke:              $((t4 - t0)) ms"
} >&2
printf '{"tool":"aws-cli","stage1Ms":%d,"stage2Ms":%d,"stage3Ms":%d,"deployMs":%d,"invokeMs":%d,"totalMs":%d}\n' \
  $((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $((t3 - t0)) $((t4 - t3)) $((t4 - t0))
