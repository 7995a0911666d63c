#!/usr/bin/env bash
# Benchmark: trailcase against the floors (zcat, libdeflate) and the tools a responder would
# otherwise reach for (jq, Python, DuckDB), all in one run on the same generated data set, so
# that the ratios hold even when the machine is shared. See docs/performance.md.
#
#   scripts/bench.sh                    # 1 M records, 7 days x 4 regions (8,064 gzip files)
#   scripts/bench.sh --records 100000   # a quick run on a smaller set
#   scripts/bench.sh --skip-reference   # floors and trailcase only
#   scripts/bench.sh --memory           # peak RSS of trailcase at 1 M and 5 M records
#   scripts/bench.sh --no-busy-actor    # without the second set (below)
#
# A second set of the same size has a busy compromised principal (samplegen --busy-actor: its
# calls in about 40 % of the files before the incident); the floors and trailcase timeline run
# on it too. Then examples/bench_parts.rs measures the parts on the first set, one thread each.
# The ratios to the libdeflate floor come last, against their targets.
#
# The data set is generated with trailcase-samplegen's scale mode and cached under bench-data/
# (git-ignored); it is regenerated when missing or when the generator's sources changed.
#
# Organisation scale (collect --athena against collect --s3 on a generated 20-account trail in
# the test server, issue #17): scripts/bench_athena.py, see its docstring and docs/scale.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1
export LC_ALL=C

records=1000000
runs=3
skip_reference=0
memory=0
busy_set=1
days=7
regions=4

usage() {
  sed -n '2,15s/^# \{0,1\}//p' "$0"
  echo "Options: --records N  --runs N (best of N for floors and trailcase, default 3)"
  echo "         --skip-reference  --memory  --no-busy-actor"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --skip-reference) skip_reference=1; shift ;;
    --memory) memory=1; shift ;;
    --no-busy-actor) busy_set=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------- tools

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_missing=()
[ -x /usr/bin/time ] || apt_missing+=(time)
if [ "$skip_reference" = 0 ] && [ "$memory" = 0 ]; then
  command -v libdeflate-gunzip >/dev/null || apt_missing+=(libdeflate-tools)
  command -v jq >/dev/null || apt_missing+=(jq)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "installing ${apt_missing[*]}" >&2
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
if [ "$skip_reference" = 0 ] && [ "$memory" = 0 ] && ! python3 -c 'import duckdb' 2>/dev/null; then
  echo "installing duckdb (PyPI)" >&2
  python3 -m pip install -q duckdb
fi

echo "building trailcase (release)" >&2
cargo build --release --quiet -p trailcase -p trailcase-samplegen
cargo build --release --quiet -p trailcase --example bench_parts
TRAILCASE="$PWD/target/release/trailcase"
SAMPLEGEN="$PWD/target/release/trailcase-samplegen"

# ---------------------------------------------------------------- data

# The generator's committed tree: a change to samplegen invalidates the cached sets.
generator_id() {
  git rev-parse HEAD:samplegen 2>/dev/null || echo unknown
}

# dataset N [DAYS] [--busy-actor] -> prints the directory of the N-record set, generating it
# when needed.
dataset() {
  local n="$1" days="${2:-$days}" busy="${3:-}"
  local dir="bench-data/d${days}-r${regions}-n$n${busy:+-busy}"
  # Kept beside the set, not in it: trailcase would read them as evidence.
  local stamp="$dir.stamp" log="$dir.log"
  local want="samplegen $(generator_id) --days $days --regions $regions --records $n $busy"
  if [ ! -f "$stamp" ] || [ "$(head -1 "$stamp")" != "$want" ]; then
    echo "generating $dir ($n records)" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    # shellcheck disable=SC2086 # $busy is one flag or nothing
    "$SAMPLEGEN" --days "$days" --regions "$regions" --records "$n" $busy --out "$dir" 2>"$log"
    # "wrote DIR: F trail files, R records, B gzip bytes, ..."
    local trail_records
    trail_records=$(sed -n 's/.* trail files, \([0-9]*\) records,.*/\1/p' "$log")
    printf '%s\n%s\n' "$want" "$trail_records" >"$stamp"
  fi
  echo "$dir"
}

# ---------------------------------------------------------------- measuring

OUT=$(mktemp -d "${TMPDIR:-/tmp}/trailcase-bench.XXXXXX")
export OUT
trap 'rm -rf "$OUT"' EXIT

# measure NAME CMD...: runs CMD under /usr/bin/time; records wall seconds, CPU seconds (user +
# system) and peak RSS (KiB). With MEASURE_RUNS > 1 keeps the fastest run (and the largest RSS);
# measured again under the same NAME, it keeps the fastest of every call (the floor and the
# timeline are measured in turns that way).
declare -A WALL CPU RSS
NAMES=()
measure() {
  local name="$1" best="" cpu="" rss=0 i start end wall m c
  shift
  for ((i = 0; i < ${MEASURE_RUNS:-1}; i++)); do
    start=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M %U %S' -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr"; then
      # trailcase exits 1 when the evidence has gaps: that is still a completed run.
      if ! { [ "$1" = "$TRAILCASE" ] && grep -q 'non-zero status 1$' "$OUT/time"; }; then
        echo "FAILED: $name" >&2
        cat "$OUT/stderr" >&2
        return 1
      fi
    fi
    end=$EPOCHREALTIME
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    read -r m c < <(tail -1 "$OUT/time" | awk '{ printf "%d %.2f\n", $1, $2 + $3 }')
    [ "$m" -gt "$rss" ] && rss=$m
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$wall
      cpu=$c
    fi
  done
  # This call's own result on stderr; the table keeps the fastest of every call.
  printf '  %-40s %8.2f s wall %8.2f s CPU %6d MiB\n' "$name" "$best" "$cpu" $((rss / 1024)) >&2
  if [ -n "${WALL[$name]+set}" ]; then
    if awk -v a="${WALL[$name]}" -v b="$best" 'BEGIN { exit !(a <= b) }'; then
      best=${WALL[$name]}
      cpu=${CPU[$name]}
    fi
    [ "${RSS[$name]}" -gt "$rss" ] && rss=${RSS[$name]}
  else
    NAMES+=("$name")
  fi
  WALL[$name]=$best
  CPU[$name]=$cpu
  RSS[$name]=$rss
}

# ---------------------------------------------------------------- memory mode

if [ "$memory" = 1 ]; then
  small=$(dataset 1000000)
  large=$(dataset 5000000)
  # The same 5 M records over 35 days: files the size of the 1 M set's.
  long=$(dataset 5000000 35)
  echo "peak RSS of trailcase timeline (best of $runs runs)" >&2
  MEASURE_RUNS=$runs measure "timeline 1 M" "$TRAILCASE" timeline -q "$small" --out "$OUT/t1.json"
  MEASURE_RUNS=$runs measure "timeline 5 M" "$TRAILCASE" timeline -q "$large" --out "$OUT/t5.json"
  MEASURE_RUNS=$runs measure "timeline 5 M, 35 days" "$TRAILCASE" timeline -q "$long" --out "$OUT/t5l.json"
  echo
  echo "| records | days | files | largest file inflated | wall time | peak RSS |"
  echo "|---|---:|---:|---:|---:|---:|"
  for row in "$small|7|timeline 1 M" "$large|7|timeline 5 M" "$long|35|timeline 5 M, 35 days"; do
    IFS='|' read -r dir d name <<<"$row"
    largest=$(find "$dir/cloudtrail" -name '*.json.gz' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
    printf '| %s | %s | %s | %.1f MB | %.2f s | %d MiB |\n' "$(sed -n 2p "$dir.stamp")" "$d" \
      "$(find "$dir/cloudtrail" -name '*.json.gz' | wc -l)" "$(zcat "$largest" | wc -c | awk '{ print $1 / 1e6 }')" \
      "${WALL[$name]}" $((RSS[$name] / 1024))
  done
  awk -v a="${RSS[timeline 1 M]}" -v b="${RSS[timeline 5 M]}" \
    'BEGIN { printf "\npeak RSS at 5 M is %+.1f %% of the peak at 1 M (target: at most +10 %%, and at most 200 MB at 1 M)\n", (b / a - 1) * 100 }'
  awk -v a="${RSS[timeline 1 M]}" -v b="${RSS[timeline 5 M, 35 days]}" \
    'BEGIN { printf "peak RSS at 5 M over 35 days is %+.1f %% of the peak at 1 M\n", (b / a - 1) * 100 }'
  exit 0
fi

# ---------------------------------------------------------------- the run

# Each row's set (its floors are the set's own), and the floors of each set.
declare -A SET_OF SET_FILES SET_RECORDS SET_MB

# run_set LABEL DIR REFERENCES: the floors and trailcase on one set; rows named "... LABEL".
run_set() {
  local label="$1" data="$2" refs="$3" files n first=${#NAMES[@]}
  local key=${label:-standard}
  # The log files, not the digest files beside them (`_CloudTrail-Digest_`): the floors inflate
  # the trail itself.
  mapfile -t FILES < <(cd "$data" && find cloudtrail -name '*_CloudTrail_*.json.gz' | sort)
  SET_FILES[$key]=${#FILES[@]}
  SET_RECORDS[$key]=$(sed -n 2p "$data.stamp")
  SET_MB[$key]=$(du -sb "$data/cloudtrail" | cut -f1 | awk '{ printf "%.0f MB", $1 / 1e6 }')
  echo "data: $data, ${#FILES[@]} trail files, ${SET_RECORDS[$key]} trail records" >&2
  # Warm the page cache so that the first command does not pay for the disk.
  (cd "$data" && cat -- "${FILES[@]}" >/dev/null)
  pushd "$data" >/dev/null
  local bench="$ROOT/scripts/bench" sfx="${label:+ ($label)}"
  echo "measuring$sfx (floors and trailcase: best of $runs runs; libdeflate and the timeline in turns)" >&2
  MEASURE_RUNS=$runs measure "zcat (one process)$sfx" sh -c 'zcat -- "$@" >/dev/null' sh "${FILES[@]}"
  # The floor and the timeline in turns, one run each at a time: the machine's minute moves
  # both alike, so their ratio does not depend on which of them a slow moment hit (a floor
  # measured alone once came out 0.77 s where it is 0.6 s, and flattered the ratio).
  local r
  for ((r = 0; r < runs; r++)); do
    if command -v libdeflate-gunzip >/dev/null; then
      measure "libdeflate-gunzip -c (one process)$sfx" \
        sh -c 'libdeflate-gunzip -c -- "$@" >/dev/null' sh "${FILES[@]}"
    fi
    measure "trailcase timeline (JSON to a file)$sfx" "$TRAILCASE" timeline -q . --out "$OUT/timeline.json"
  done
  if [ "$refs" = 1 ]; then
    measure "jq: honeytoken reads" sh -c 'zcat -- "$@" | jq -r -f "$0" >"$OUT/jq-h.tsv"' \
      "$bench/honeytoken.jq" "${FILES[@]}"
    measure "jq: timeline rows (unsorted)" sh -c 'zcat -- "$@" | jq -r -f "$0" >"$OUT/jq-t.tsv"' \
      "$bench/timeline.jq" "${FILES[@]}"
    measure "python: honeytoken reads" python3 "$bench/py_honeytoken.py" cloudtrail "$OUT/py-h.tsv"
    measure "python: timeline (sorted)" python3 "$bench/py_timeline.py" cloudtrail "$OUT/py-t.tsv"
    measure "duckdb read_json: honeytoken reads" python3 "$bench/duckdb_query.py" honeytoken cloudtrail "$OUT/dd-h.tsv"
    measure "duckdb read_json: timeline (sorted)" python3 "$bench/duckdb_query.py" timeline cloudtrail "$OUT/dd-t.tsv"
    measure "duckdb read_json: every record (sorted JSON)" python3 "$bench/duckdb_query.py" all cloudtrail "$OUT/dd-all.json"
    rm -f "$OUT/dd-all.json"
    for f in jq-h py-h dd-h; do
      n=$(wc -l <"$OUT/$f.tsv")
      [ "$n" -gt 0 ] || echo "warning: $f found no honeytoken read" >&2
    done
  fi
  if [ -z "$label" ]; then
    MEASURE_RUNS=$runs measure "trailcase timeline --all (JSONL to a file)" \
      "$TRAILCASE" timeline -q --all --format jsonl . --out "$OUT/all.jsonl"
    ALL_BYTES=$(stat -c %s "$OUT/all.jsonl")
    # The same bytes to /dev/null: the bar below writes them there too (a file adds the copy
    # into the page cache, which this VM makes costly and noisy).
    MEASURE_RUNS=$runs measure "trailcase timeline --all (JSONL to /dev/null)" \
      "$TRAILCASE" timeline -q --all --format jsonl . --out /dev/null
    # The bar for --all: the timeline, then writing as many bytes as --all writes.
    MEASURE_RUNS=$runs measure "trailcase timeline, then the --all bytes to /dev/null" \
      sh -c '"$0" timeline -q . --out "$OUT/timeline.json"; [ $? -le 1 ] && cat "$OUT/all.jsonl" >/dev/null' "$TRAILCASE"
    rm -f "$OUT/all.jsonl"
    if "$TRAILCASE" --help | grep -qE '^ +report '; then
      MEASURE_RUNS=$runs measure "trailcase report (PDF)" "$TRAILCASE" report -q . --out "$OUT/report.pdf"
      # The issue's bar for the report alone: the sample case renders well under a second.
      MEASURE_RUNS=$runs measure "trailcase report samples/incident-01 (PDF)" \
        "$TRAILCASE" report -q "$ROOT/samples/incident-01" --out "$OUT/sample-report.pdf"
    else
      REPORT_NOTE="trailcase report: not measured (this build has no report subcommand)"
      echo "  $REPORT_NOTE" >&2
    fi
  fi
  popd >/dev/null
  local i
  for ((i = first; i < ${#NAMES[@]}; i++)); do SET_OF[${NAMES[$i]}]=$key; done
}

ROOT=$PWD
DATA=$(dataset "$records")
run_set "" "$DATA" "$((1 - skip_reference))"
if [ "$busy_set" = 1 ]; then
  BUSY=$(dataset "$records" "$days" --busy-actor)
  run_set "busy actor" "$BUSY" 0
fi

# ---------------------------------------------------------------- the table

# table LABEL: the rows of one set, with ratios to that set's floors.
table() {
  local label="$1" sfx="${1:+ ($1)}" name key=${1:-standard}
  local z=${WALL[zcat (one process)$sfx]}
  local l=${WALL[libdeflate-gunzip -c (one process)$sfx]:-} lc=${CPU[libdeflate-gunzip -c (one process)$sfx]:-}
  echo
  echo "${label:-standard set}: $(date -u +%Y-%m-%d), $(nproc) cores, ${SET_RECORDS[$key]} records" \
    "in ${SET_FILES[$key]} gzip files (${SET_MB[$key]})"
  echo
  echo "| what | wall time | records/s | CPU time | peak RSS | x zcat | x libdeflate | CPU x libdeflate |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for name in "${NAMES[@]}"; do
    [ "${SET_OF[$name]}" = "$key" ] || continue
    awk -v n="$name" -v w="${WALL[$name]}" -v c="${CPU[$name]}" -v r="${RSS[$name]}" \
      -v recs="${SET_RECORDS[$key]}" -v z="$z" -v l="$l" -v lc="$lc" 'BEGIN {
        rate = recs / w
        rate = rate >= 1e6 ? sprintf("%.2f M", rate / 1e6) : sprintf("%.0f k", rate / 1e3)
        lx = l == "" ? "-" : sprintf("%.2f", w / l)
        lcx = lc == "" || lc == 0 ? "-" : sprintf("%.2f", c / lc)
        printf "| %s | %.2f s | %s | %.2f s | %d MiB | %.2f | %s | %s |\n", n, w, rate, c, r / 1024, w / z, lx, lcx
      }'
  done
}

table ""
[ "$busy_set" = 0 ] || table "busy actor"
[ -z "${REPORT_NOTE:-}" ] || echo "
$REPORT_NOTE"

# ---------------------------------------------------------------- the parts

echo
echo "measuring the parts (examples/bench_parts.rs)" >&2
"$PWD/target/release/examples/bench_parts" "$DATA" --runs "$runs"

# ---------------------------------------------------------------- against the targets

# ratio LABEL: timeline's wall and CPU time over the set's libdeflate floor.
ratio() {
  local sfx="${1:+ ($1)}"
  local l=${WALL[libdeflate-gunzip -c (one process)$sfx]:-} lc=${CPU[libdeflate-gunzip -c (one process)$sfx]:-}
  local t="trailcase timeline (JSON to a file)$sfx"
  [ -n "$l" ] || { echo "no libdeflate floor"; return; }
  awk -v w="${WALL[$t]}" -v c="${CPU[$t]}" -v l="$l" -v lc="$lc" \
    'BEGIN { printf "%.2f x libdeflate by wall time (CPU: %.2f x)", w / l, c / lc }'
}
echo
echo "Against the targets:"
echo "  timeline, standard set:   $(ratio "") (target: at most 1.5 x)"
[ "$busy_set" = 0 ] || echo "  timeline, busy actor set: $(ratio "busy actor") (target: at most 1.5 x)"
awk -v a="${WALL[trailcase timeline --all (JSONL to a file)]}" \
  -v n="${WALL[trailcase timeline --all (JSONL to /dev/null)]}" \
  -v b="${WALL[trailcase timeline, then the --all bytes to /dev/null]}" \
  -v l="${WALL[libdeflate-gunzip -c (one process)]:-0}" -v bytes="${ALL_BYTES:-0}" 'BEGIN {
    printf "  timeline --all:           %.2f s for %.0f MB to /dev/null, %.2f x (timeline + writing its bytes to /dev/null) (target: at most 2 x)", n, bytes / 1e6, n / b
    if (l > 0) printf "; %.2f x libdeflate", n / l
    printf "\n  timeline --all to a file:  %.2f s, %.2f x the same bar\n", a, a / b
  }'
