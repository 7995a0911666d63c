#!/usr/bin/env bash
# Paired comparison of two trailcase builds: runs BASE and NEW alternately N times on the same
# arguments, and prints each one's fastest and median wall time with the CPU time of its median
# run, and each one's median CPU time (user + system) with its range: on a loaded machine the
# CPU medians are what to read, the wall times say more of the load. Alternating keeps a shared
# machine's drift out of the difference, which a best-of-three of each build minutes apart does
# not (docs/performance.md).
#
#   scripts/compare.sh 10 /tmp/trailcase-before target/release/trailcase \
#       timeline -q bench-data/d7-r4-n1000000 --out /tmp/t.json
#
# Exit status 1 from trailcase (an incomplete run: evidence gaps) still counts as a run.
set -euo pipefail

if [ $# -lt 4 ]; then
  sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
runs="$1" base="$2" new="$3"
shift 3
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/trailcase-compare.XXXXXX")
trap 'rm -rf "$dir"' EXIT

for ((i = 0; i < runs; i++)); do
  for which in base new; do
    if [ "$which" = base ]; then exe="$base"; else exe="$new"; fi
    start=$EPOCHREALTIME
    status=0
    /usr/bin/time -f '%U %S' -o "$dir/time" "$exe" "$@" >/dev/null 2>"$dir/stderr" || status=$?
    end=$EPOCHREALTIME
    if [ "$status" -gt 1 ]; then
      echo "$which ($exe) failed with status $status:" >&2
      cat "$dir/stderr" >&2
      exit 1
    fi
    cpu=$(tail -1 "$dir/time" | awk '{ printf "%.2f", $1 + $2 }')
    awk -v a="$start" -v b="$end" -v c="$cpu" 'BEGIN { printf "%.3f %s\n", b - a, c }' >>"$dir/$which"
  done
done

for which in base new; do
  sort -n "$dir/$which" | awk -v name="$which" -v n="$runs" '
    { wall[NR] = $1; cpu[NR] = $2 }
    END {
      m = int((NR + 1) / 2)
      printf "%-4s fastest %.3f s, median %.3f s (CPU of the median run %.2f s), %d runs\n",
        name, wall[1], wall[m], cpu[m], n
    }'
done
for which in base new; do
  sort -n -k2,2 "$dir/$which" | awk -v name="$which" '
    { cpu[NR] = $2 }
    END {
      printf "%-4s CPU median %.2f s (runs %.2f to %.2f s)\n", name, cpu[int((NR + 1) / 2)], cpu[1], cpu[NR]
    }'
done
