#!/bin/bash
# Two operators, a donation to the fund, stock at every station, then 3,000 redemption attempts (one in ten a basket; about 3,100 receipts result), 100 booking attempts for the next day
# (the 20 the class holds at S01 succeed; fulfilling them the day before is refused with R028, as it should be) and
# 60 refunds, at S01 (op-zhang) and S02 (op-li), through the CLI, on 2026-11-08.
TB=${REPO:-$PWD}/.build/release/timebank
export TIMEBANK_DB=${LARGE_STORE:-/tmp/speed}/big.sqlite TIMEBANK_CLOCK=2026-11-08T02:00:00.000Z
export TIMEBANK_OPERATOR=admin TIMEBANK_PIN=bench-admin
TIMEBANK_NEW_PIN=bench-1357 $TB operator add --id op-zhang --name 张敏 --role operator --station S01
TIMEBANK_NEW_PIN=bench-2468 $TB operator add --id op-li --name 李强 --role operator --station S02
$TB fund donate --donor "爱心企业 鲁味斋" --amount 12000000 --key fund-seed
for s in S01 S02 S03 S04 S05 S06 S07 S08 S09 S10; do
  for item in rice_5kg cooking_oil laundry_detergent biscuits fruit_basket building_blocks hair_clip; do
    $TB stock receive --station $s --item $item --qty 2000 --supplier "粮油店" --key $s-in-$item > /dev/null 2>&1
  done
done
RANDOM=11
items=(cooking_oil laundry_detergent biscuits fruit_basket building_blocks hair_clip)
for i in $(seq 1 3000); do
  if (( i % 2 )); then s=S01; op=op-zhang; pin=bench-1357; else s=S02; op=op-li; pin=bench-2468; fi
  v=$(printf "V%05d" $(( (RANDOM * 32768 + RANDOM) % 20000 + 1 )))
  if (( i % 10 == 0 )); then
    args="--item ${items[RANDOM % 6]} --item ${items[RANDOM % 6]}:2"
  else
    args="--item ${items[RANDOM % 6]}"
  fi
  TIMEBANK_OPERATOR=$op TIMEBANK_PIN=$pin $TB redeem --station $s --volunteer $v $args --key $s-$i > /dev/null 2>>${LARGE_STORE:-/tmp/speed}/redeem-errors.log
done
for i in $(seq 1 100); do
  v=$(printf "V%05d" $(( (RANDOM * 32768 + RANDOM) % 20000 + 1 )))
  TIMEBANK_OPERATOR=op-zhang TIMEBANK_PIN=bench-1357 $TB book --station S01 --volunteer $v --item calligraphy_class --for 2026-11-09 --key B-$i > /dev/null 2>>${LARGE_STORE:-/tmp/speed}/redeem-errors.log
done
for i in $(seq 1 30); do TIMEBANK_OPERATOR=op-zhang TIMEBANK_PIN=bench-1357 $TB fulfil B-$i > /dev/null 2>>${LARGE_STORE:-/tmp/speed}/redeem-errors.log; done
for i in $(seq 31 50); do TIMEBANK_OPERATOR=op-zhang TIMEBANK_PIN=bench-1357 $TB cancel B-$i --reason "改期" > /dev/null 2>>${LARGE_STORE:-/tmp/speed}/redeem-errors.log; done
for i in $(seq 1 60); do TIMEBANK_OPERATOR=op-zhang TIMEBANK_PIN=bench-1357 $TB refund S01-$((i * 2 - 1)) --reason "包装破损" > /dev/null 2>>${LARGE_STORE:-/tmp/speed}/redeem-errors.log; done
echo done
