#!/bin/bash
# Builds ${LARGE_STORE:-/tmp/speed}/big.sqlite: 20,000 volunteers, 1,000,000 records over 2024-01-02..2026-11-06, settled.
set -e
TB=${REPO:-$PWD}/.build/release/timebank
S=${LARGE_STORE:-/tmp/speed}
export TIMEBANK_DB=$S/big.sqlite
rm -f $TIMEBANK_DB $TIMEBANK_DB-wal $TIMEBANK_DB-shm
export TIMEBANK_CLOCK=2026-11-01T02:00:00.000Z
TIMEBANK_PIN=bench-admin $TB init
export TIMEBANK_OPERATOR=admin TIMEBANK_PIN=bench-admin
$TB team import ${REPO:-$PWD}/seeds/teams.csv
$TB household import $S/households.csv
$TB volunteer import $S/volunteers.csv
$TB station import ${REPO:-$PWD}/seeds/stations.csv
sed 's/^effective = 2026-10-01/effective = 2024-01-01/' ${REPO:-$PWD}/config/policy.toml > $S/policy.toml
$TB policy activate $S/policy.toml
export TIMEBANK_CLOCK=2026-11-07T02:00:00.000Z
time $TB record import $S/records.csv | tail -5
time $TB settle --date 2026-10-31 | tail -5
export TIMEBANK_CLOCK=2026-11-08T02:00:00.000Z
time $TB settle --catch-up | tail -5
