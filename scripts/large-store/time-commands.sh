#!/bin/bash
# Times every command an operator or admin runs by hand on ${LARGE_STORE:-/tmp/speed}/big.sqlite: median of 3 wall-clock runs.
# Usage: time-commands.sh OUT.tsv [BINARY]   Write commands use fresh keys each run (prefix $RUN).
TB=${2:-${REPO:-$PWD}/.build/release/timebank}
OUT=$1
RUN=${RUN:-t$$}
export TIMEBANK_DB=${LARGE_STORE:-/tmp/speed}/big.sqlite TIMEBANK_CLOCK=2026-11-08T02:00:00.000Z
export TIMEBANK_OPERATOR=admin TIMEBANK_PIN=bench-admin
ZHANG="env TIMEBANK_OPERATOR=op-zhang TIMEBANK_PIN=bench-1357"
: > $OUT
t() {  # name, command (eval'd; $i is the run number)
  local name=$1; shift
  local times=()
  for i in 1 2 3; do
    local s=$(date +%s.%N)
    eval "$@" > /dev/null 2>>${LARGE_STORE:-/tmp/speed}/time-errors.log
    local code=$?
    local e=$(date +%s.%N)
    times+=($(echo "$e - $s" | bc))
  done
  local med=$(printf "%s\n" "${times[@]}" | sort -n | sed -n 2p)
  printf "%s\t%.3f\t%s\n" "$name" "$med" "exit $code" | tee -a $OUT
}
t "balance V00001" '$TB balance V00001'
t "statement V00001" '$TB statement V00001'
t "statement V00001 --from 2026-10-01" '$TB statement V00001 --from 2026-10-01'
t "lots V00001" '$TB lots V00001'
t "redeem goods" '$ZHANG $TB redeem --station S01 --volunteer V000$((10 + i)) --item biscuits --key $RUN-g$i'
t "redeem basket" '$ZHANG $TB redeem --station S01 --volunteer V000$((20 + i)) --item biscuits --item hair_clip:2 --key $RUN-b$i'
t "redeem service" '$ZHANG $TB redeem --station S01 --volunteer V000$((30 + i)) --item calligraphy_class --key $RUN-s$i'
t "book" '$ZHANG $TB book --station S01 --volunteer V000$((40 + i)) --item calligraphy_class --key $RUN-k$i'
t "fulfil" '$ZHANG $TB fulfil $RUN-k$i'
t "book (to cancel)" '$ZHANG $TB book --station S01 --volunteer V000$((50 + i)) --item calligraphy_class --key $RUN-c$i'
t "cancel" '$ZHANG $TB cancel $RUN-c$i --reason 改期'
t "refund" '$ZHANG $TB refund $RUN-g$i --reason 破损'
t "receipt list (S01 today)" '$TB receipt list --station S01'
t "receipt list --volunteer" '$TB receipt list --volunteer V00011'
t "receipt show R100" '$TB receipt show R100'
t "receipt show (unknown)" '$TB receipt show S01-99999'
t "record show" '$TB record show r0500000'
t "explain" '$TB explain r0500000'
t "record show (unknown id)" '$TB record show r05000000'
t "explain (unknown id)" '$TB explain x0500000'
t "record list" '$TB record list'
t "record list --volunteer" '$TB record list --volunteer V00001'
t "record list --status rejected" '$TB record list --status rejected'
t "record list --from/--to a month" '$TB record list --from 2026-10-01 --to 2026-10-31'
t "balance (unknown volunteer)" '$TB balance V200001'
t "volunteer show V00001" '$TB volunteer show V00001'
t "volunteer show (unknown)" '$TB volunteer show V0001'
t "household show H00001" '$TB household show H00001'
t "report daily (month)" '$TB report daily --from 2026-10-01 --to 2026-10-31'
t "report daily (year)" '$TB report daily --from 2025-11-01 --to 2026-10-31'
t "report stations (month)" '$TB report stations --from 2026-10-01 --to 2026-10-31'
t "report categories (year)" '$TB report categories --from 2025-11-01 --to 2026-10-31'
t "report rejects (year)" '$TB report rejects --from 2025-11-01 --to 2026-10-31'
t "report ranking (month)" '$TB report ranking --from 2026-10-01 --to 2026-10-31'
t "report ranking (year)" '$TB report ranking --from 2025-11-01 --to 2026-10-31'
t "report expiring" '$TB report expiring'
t "report fund (month)" '$TB report fund --from 2026-10-01 --to 2026-10-31'
t "fund report" '$TB fund report'
t "stock receive" '$TB stock receive --station S03 --item biscuits --qty 1 --key $RUN-st$i'
t "policy check --against-active" '$TB policy check ${LARGE_STORE:-/tmp/speed}/policy.toml --against-active'
t "whatif --stored (active)" '$TB whatif --policy ${LARGE_STORE:-/tmp/speed}/policy.toml --active --stored'
t "verify" '$TB verify'
t "export" '$TB export --format ledger --output ${LARGE_STORE:-/tmp/speed}/export.journal'
