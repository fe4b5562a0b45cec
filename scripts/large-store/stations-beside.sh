#!/bin/bash
# Stations redeeming at their counters while a heavy command runs beside them, on the large store (README.md).
#
#   scripts/large-store/stations-beside.sh setup                 # once: an operator and stock at S01..S04
#   scripts/large-store/stations-beside.sh run NAME -- COMMAND…  # e.g. run settle -- settle --date 2026-11-08
#
# `run` starts $STATIONS (default 4) stations, each redeeming one packet of biscuits for a random volunteer in a loop
# with a fresh --key, lets them run 3 s alone, runs `timebank COMMAND…` beside them, and stops them 2 s after it ends.
# A redemption that fails with S5 (the database was busy) is sent again once with the same --key, as an operator would.
# It writes $LARGE_STORE/NAME.tsv (station, attempt, exit code, milliseconds, first words of stderr) and prints the
# waits (median, 90th percentile, longest), the failures, the command's own time and exit code, and `verify`'s.
set -u
TB=${TB:-${REPO:-$PWD}/.build/release/timebank}
S=${LARGE_STORE:-/tmp/speed}
export TIMEBANK_DB=$S/big.sqlite TIMEBANK_CLOCK=${TIMEBANK_CLOCK:-2026-11-08T02:00:00.000Z}
STATIONS=${STATIONS:-4}

milliseconds() { echo $(( $(date +%s%N) / 1000000 )); }

if [ "${1:-}" = setup ]; then
  export TIMEBANK_OPERATOR=admin TIMEBANK_PIN=bench-admin
  $TB fund donate --donor "爱心企业 鲁味斋" --amount 12000000 --key beside-fund || exit 1
  for n in $(seq 1 "$STATIONS"); do
    s=$(printf "S%02d" "$n")
    TIMEBANK_NEW_PIN=bench-$s $TB operator add --id op-$s --name "柜台$n" --role operator --station $s || exit 1
    $TB stock receive --station $s --item biscuits --qty 100000 --supplier "粮油店" --key beside-$s-biscuits || exit 1
  done
  exit 0
fi

[ "${1:-}" = run ] && [ -n "${2:-}" ] && [ "${3:-}" = -- ] || { sed -n 2,11p "$0" | sed 's/^# \{0,1\}//'; exit 2; }
NAME=$2; shift 3
OUT=$S/$NAME.tsv STOP=$S/$NAME.stop RUN=$NAME-$(date +%s)
rm -f "$OUT" "$STOP"

station() {  # station S: redeem until $STOP exists
  local s=$1 i=0 rc t0 v err=$S/$NAME.$1.err
  while [ ! -e "$STOP" ]; do
    i=$((i + 1))
    v=$(printf "V%05d" $(( (RANDOM * 32768 + RANDOM) % 20000 + 1 )))
    for attempt in first retry; do
      t0=$(milliseconds)
      TIMEBANK_OPERATOR=op-$s TIMEBANK_PIN=bench-$s $TB redeem --station $s --volunteer $v --item biscuits \
        --key $RUN-$s-$i > /dev/null 2> "$err"
      rc=$?
      printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$attempt" "$rc" $(( $(milliseconds) - t0 )) "$(head -c 160 "$err" | tr '\n\t' '  ')" >> "$OUT"
      grep -q '^error\[S5\]\|S5' "$err" || break
    done
  done
}

for n in $(seq 1 "$STATIONS"); do station "$(printf "S%02d" "$n")" & done
sleep 3
t0=$(milliseconds)
TIMEBANK_OPERATOR=admin TIMEBANK_PIN=bench-admin $TB "$@" > "$S/$NAME.out" 2>&1
rc=$?
took=$(( $(milliseconds) - t0 ))
sleep 2
touch "$STOP"; wait; rm -f "$STOP" "$S/$NAME".S*.err

python3 - "$OUT" "$took" "$rc" "$*" <<'EOF'
import sys, statistics
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
ms = sorted(int(r[3]) for r in rows)
failed = [r for r in rows if r[2] != "0"]
busy = [r for r in failed if "S5" in r[4]]
retried = [r for r in rows if r[1] == "retry"]
print(f"beside `timebank {sys.argv[4]}` ({int(sys.argv[2]) / 1000:.1f} s, exit {sys.argv[3]}):")
print(f"  {len(rows)} redemption attempts; waits median {statistics.median(ms) / 1000:.2f} s, "
      f"90th percentile {ms[int(len(ms) * 0.9)] / 1000:.2f} s, longest {ms[-1] / 1000:.2f} s")
print(f"  failures: {len(failed)} ({len(busy)} S5); retries of an S5: {len(retried)}, "
      f"of which failed again: {sum(1 for r in retried if r[2] != '0')}")
for r in failed[:5]: print("   ", r[0], r[1], "exit", r[2], r[4][:120])
EOF
$TB verify > /dev/null && echo "  verify: passed" || echo "  verify: FAILED (exit $?)"
