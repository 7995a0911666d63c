#!/usr/bin/env bash
# Reading from S3 against the local emulator (issue 7): is `trailcase timeline s3://...` bounded
# by the emulator, or by trailcase? Starts moto's server on a loopback port (from the test
# virtual environment that scripts/test.sh makes), uploads a generated set (scripts/bench.sh's
# generator and cache), then times, best of --runs:
#   - a plain listing and download of every object with boto3 (what the emulator can serve),
#   - `trailcase collect --s3` into a new case (the acquisition alone),
#   - `trailcase timeline s3://...` (acquisition and analysis),
#   - `trailcase timeline` of the collected case on disk (the analysis alone).
#
#   scripts/bench_s3.sh                    # 100,000 records, 7 days x 4 regions (8,064 objects)
#   scripts/bench_s3.sh --records 20000 --runs 1
#   scripts/bench_s3.sh --latency 0.02     # every GET answered 20 ms late, as over a network:
#                                          # the cores are idle while objects arrive
set -euo pipefail
cd "$(dirname "$0")/.."

records=100000
runs=2
latency=0
days=7
regions=4
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --latency) latency="$2"; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

PY="${TRAILCASE_PYTHON:-$PWD/.cache/test-venv/bin/python}"
if ! "$PY" -c 'import moto.server, boto3, cbor2' >/dev/null 2>&1; then
  echo "moto is not installed for $PY: run scripts/test.sh once (it makes .cache/test-venv)" >&2
  exit 2
fi

echo "building trailcase (release)" >&2
cargo build --release --quiet -p trailcase -p trailcase-samplegen
TRAILCASE="$PWD/target/release/trailcase"

dir="bench-data/d${days}-r${regions}-n$records"
if [ ! -d "$dir" ]; then
  echo "generating $dir" >&2
  mkdir -p bench-data
  target/release/trailcase-samplegen --days "$days" --regions "$regions" --records "$records" \
    --out "$dir" >/dev/null 2>&1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/trailcase-bench-s3.XXXXXX")
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo '{}' >"$WORK/seed.json"
TRAILCASE_MOTO_SEED="$WORK/seed.json" "$PY" tests/moto/trailcase_moto.py -H 127.0.0.1 -p "$port" \
  >/dev/null 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do
  "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.1
done

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
ENDPOINT="http://127.0.0.1:$port"
BUCKET=bench-trail-bucket

echo "uploading $dir/cloudtrail to s3://$BUCKET on moto ($ENDPOINT)" >&2
"$PY" - "$ENDPOINT" "$BUCKET" "$dir/cloudtrail" <<'PY'
import boto3, os, sys
from concurrent.futures import ThreadPoolExecutor
endpoint, bucket, root = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
s3.create_bucket(Bucket=bucket)
files = []
for d, _, names in os.walk(root):
    files += [os.path.join(d, n) for n in names]
def put(path):
    key = os.path.relpath(path, root).replace(os.sep, "/")
    with open(path, "rb") as f:
        s3.put_object(Bucket=bucket, Key=key, Body=f.read())
with ThreadPoolExecutor(8) as pool:
    list(pool.map(put, sorted(files)))
print(f"{len(files)} objects", file=sys.stderr)
PY
# Uploaded: from now on every GET waits, when asked to (the seed is read on every request).
echo "{\"get_latency\": $latency}" >"$WORK/seed.json"

# The window: the days of the set's key layout (.../YYYY/MM/DD/...), whole.
read -r from to < <(find "$dir/cloudtrail" -type f | sed -n 's#.*/\([0-9]\{4\}\)/\([0-9]\{2\}\)/\([0-9]\{2\}\)/[^/]*$#\1-\2-\3#p' |
  sort -u | sed -n '1p;$p' | xargs | awk '{ print $1 "T00:00:00Z", $2 }')
to=$(date -u -d "$to +1 day" +%Y-%m-%dT00:00:00Z)

best() { # best NAME CMD... -> prints "NAME seconds"
  local name="$1" b="" s e t
  shift
  for ((i = 0; i < runs; i++)); do
    rm -rf "$WORK/case"
    s=$EPOCHREALTIME
    "$@" >/dev/null 2>"$WORK/err" || { [ $? = 1 ] || { cat "$WORK/err" >&2; exit 1; }; }
    e=$EPOCHREALTIME
    t=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", b - a }')
    if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
  done
  echo "$name|$b"
}

download() {
  "$PY" - "$ENDPOINT" "$BUCKET" <<'PY'
import boto3, sys
from concurrent.futures import ThreadPoolExecutor
endpoint, bucket = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for o in p.get("Contents", [])]
with ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda k: s3.get_object(Bucket=bucket, Key=k)["Body"].read(), keys))
PY
}

rows=()
rows+=("$(best "boto3: list and GET every object, 8 threads (the emulator's pace)" download)")
rows+=("$(best "trailcase collect --s3 (acquisition alone)" "$TRAILCASE" collect -q --case "$WORK/case" \
  --s3 "s3://$BUCKET/AWSLogs/" --from "$from" --to "$to" --endpoint-url "$ENDPOINT")")
"$TRAILCASE" collect -q --case "$WORK/kept" --s3 "s3://$BUCKET/AWSLogs/" --from "$from" --to "$to" \
  --endpoint-url "$ENDPOINT" >/dev/null 2>&1 || true
rows+=("$(best "trailcase timeline of the collected case (analysis alone)" "$TRAILCASE" timeline -q \
  "$WORK/kept" --out "$WORK/t-disk.json")")
rows+=("$(best "trailcase timeline s3://... (acquisition and analysis)" "$TRAILCASE" timeline -q \
  "s3://$BUCKET/AWSLogs/" --from "$from" --to "$to" --endpoint-url "$ENDPOINT" --out "$WORK/t-s3.json")")

echo
echo "S3 on moto, $dir ($(find "$dir/cloudtrail" -type f | wc -l) objects), GET latency $latency s, best of $runs:"
echo
echo "| what | wall time |"
echo "|---|---:|"
for r in "${rows[@]}"; do echo "| ${r%%|*} | ${r##*|} s |"; done
