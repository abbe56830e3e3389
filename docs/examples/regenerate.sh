#!/usr/bin/env bash
# regenerate.sh — rebuild the example runbook and evidence pack in docs/examples/
#
# Runs recovery-scripts/90-drill.sh (tenant-loss, 200 users, seed 1, out /tmp/x) and copies
# what an auditor receives: the runbook (Markdown + HTML), the signed evidence pack, the
# drill report, the vault's audit log and vault.json (public keys only), and signing.pub.
# Never copies the age identity, the signing key, the archive or the credentials file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-/tmp/x}"
rm -rf "$out"
rc=0
bash "$root/recovery-scripts/90-drill.sh" --out "$out" --scenario tenant-loss --users 200 --seed 1 \
  --operator "Drill lead (example)" --contact "Incident lead: (name, phone)" --contact "Vault custodian: (name, phone)" || rc=$?
dest="$here/tenant-loss-200"
rm -rf "$dest"
mkdir -p "$dest/evidence" "$dest/vault"
cp "$out/runbook.md" "$out/runbook.html" "$out/drill-report.md" "$out/drill-report.json" "$dest/"
cp "$out"/evidence/evidence.json "$out"/evidence/evidence.json.minisig "$out"/evidence/evidence.md \
  "$out"/evidence/evidence.md.minisig "$out"/evidence/evidence.html "$dest/evidence/"
cp "$out/vault/audit.log" "$out/vault/audit.head" "$out/vault/vault.json" "$dest/vault/"
cp "$out/keys/signing.pub" "$dest/"
echo "examples written to $dest (drill exit code $rc)"
