# Sourced by bench/resume-one-phase.sh and bench/fresh-memlog.sh (issue 17 item 1), with REPO and
# OUT set: the kept bench archive (BENCH_DIR), a fresh OUT, and an empty emulator target started as
# the client bench starts it (bench/client.mts). Sets CLI, B, ARCH, EMU and TENANT.
CLI=$REPO/bin/entra-vault.js
B=${BENCH_DIR:?set BENCH_DIR to a kept bench size directory (npm run bench -- client --keep DIR: DIR/100000)}
ARCH=$(ls $B/vault/*/*.evault | head -1)
rm -rf $OUT; mkdir -p $OUT
node --max-old-space-size=8192 --max-semi-space-size=64 $CLI emulator --empty --seed 2 --profile-out $OUT/tr.json --writer-profile-out $OUT/tw.json > /dev/null 2>&1 &
EMU=$!
for i in $(seq 1 240); do [ -f $OUT/tw.json ] && break; sleep 0.5; done
TENANT=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$OUT/tr.json','utf8')).tenantId)")
