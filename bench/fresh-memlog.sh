#!/bin/bash
# BENCH_DIR=DIR bench/fresh-memlog.sh REPO OUTDIR (issue 17 item 1): a fresh (bootstrap-first) tenant-loss restore of the kept bench archive into an empty emulator,
# with ENTRA_VAULT_MEMLOG and a heap snapshot at the rest plan's end. SNAP=<mark> picks the snapshot's mark.
set -u
REPO=$1; OUT=$2; CLI=$REPO/bin/entra-vault.js; B=${BENCH_DIR:?set BENCH_DIR to a kept bench size directory (npm run bench -- client --keep DIR: DIR/100000)}
ARCH=$(ls $B/vault/*/*.evault | head -1)
rm -rf $OUT; mkdir -p $OUT
node --max-old-space-size=8192 --max-semi-space-size=64 $CLI emulator --empty --seed 2 --profile-out $OUT/tr.json --writer-profile-out $OUT/tw.json > /dev/null 2>&1 &
EMU=$!
for i in $(seq 1 240); do [ -f $OUT/tw.json ] && break; sleep 0.5; done
TENANT=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$OUT/tr.json','utf8')).tenantId)")
ENTRA_VAULT_MEMLOG=$OUT/memlog.jsonl ENTRA_VAULT_MEMLOG_SNAPSHOT=${SNAP:-rest:plan} /usr/bin/time -v node $CLI restore $ARCH --target $OUT/tw.json --identity $B/keys/identity.txt --confirm $TENANT --journal $OUT/restore.journal --credentials-out $OUT/cred.age --json -q > $OUT/out.txt 2> $OUT/err.txt
echo "exit $?"; grep -E "Maximum resident|Elapsed" $OUT/err.txt
kill $EMU
