#!/bin/bash
# BENCH_DIR=DIR bench/resume-one-phase.sh REPO OUTDIR (issue 17 item 1): a one-phase (--expect-plan) tenant-loss restore of the kept bench archive into an empty emulator,
# killed with SIGKILL after KILL_AFTER seconds, then resumed under /usr/bin/time.
set -u
REPO=$1; OUT=$2; KILL_AFTER=${KILL_AFTER:-120}
. "$(dirname "$0")/empty-target.sh"
node $CLI plan $ARCH --target $OUT/tw.json --identity $B/keys/identity.txt --text-out $OUT/dry.txt > /dev/null 2>&1
SHA=$(grep -o 'plan sha256 [0-9a-f]*' $OUT/dry.txt | awk '{print $3}')
echo "tenant $TENANT sha $SHA"
node $CLI restore $ARCH --target $OUT/tw.json --identity $B/keys/identity.txt --confirm $TENANT --expect-plan $SHA --journal $OUT/restore.journal --credentials-out $OUT/cred.age --json -q > $OUT/first.txt 2>&1 &
R=$!
sleep $KILL_AFTER
kill -9 $R
wait $R 2>/dev/null
echo "journal lines $(wc -l < $OUT/restore.journal)"
ENTRA_VAULT_MEMLOG=$OUT/memlog.jsonl /usr/bin/time -v node $CLI restore $ARCH --target $OUT/tw.json --identity $B/keys/identity.txt --confirm $TENANT --expect-plan $SHA --journal $OUT/restore.journal --credentials-out $OUT/cred.age --resume --json -q > $OUT/resume.txt 2> $OUT/resume.err
echo "resume exit $?"
grep -E "Maximum resident|Elapsed" $OUT/resume.err
kill $EMU
