#!/bin/bash
# BENCH_DIR=DIR bench/fresh-memlog.sh REPO OUTDIR (issue 17 item 1): a fresh (bootstrap-first) tenant-loss restore of the kept bench archive into an empty emulator,
# with ENTRA_VAULT_MEMLOG and a heap snapshot at the rest plan's end. SNAP=<mark> picks the snapshot's mark.
set -u
REPO=$1; OUT=$2
. "$(dirname "$0")/empty-target.sh"
ENTRA_VAULT_MEMLOG=$OUT/memlog.jsonl ENTRA_VAULT_MEMLOG_SNAPSHOT=${SNAP:-rest:plan} /usr/bin/time -v node $CLI restore $ARCH --target $OUT/tw.json --identity $B/keys/identity.txt --confirm $TENANT --journal $OUT/restore.journal --credentials-out $OUT/cred.age --json -q > $OUT/out.txt 2> $OUT/err.txt
echo "exit $?"; grep -E "Maximum resident|Elapsed" $OUT/err.txt
kill $EMU
