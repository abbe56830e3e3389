/**
 * docs/reliability.md: a permission the backup app lacks becomes a manifest warning naming
 * the permission; the archive is still written with everything else complete, and the CLI
 * exits 1 (incomplete) so a scheduler sees it.
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/index.js';
import { MICROSOFT_GRAPH_APP_ID } from '../../src/catalog/permissions.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { join } from 'node:path';
import { cli } from '../cli/io.js';
import { backupThrough, newKeys, tmp, withEmulator, withParents } from './helpers.js';

/** The tenant with `permissions` (and their ReadWrite siblings) taken away from the backup reader app. */
function withoutReaderPermissions(t: SeededTenant, permissions: readonly string[]): { tenant: SeededTenant; removed: Set<string> } {
  const readerAppId = t.credentials.find((c) => c.role === 'backupReader')!.clientId;
  const sps = t.objects.servicePrincipal ?? [];
  const reader = sps.find((s) => s.appId === readerAppId)!;
  const graph = sps.find((s) => s.appId === MICROSOFT_GRAPH_APP_ID)!;
  const names = new Set(permissions.flatMap((p) => [p, p.replace('.Read.', '.ReadWrite.')]));
  const taken = ((graph.appRoles as { id: string; value: string }[] | undefined) ?? []).filter((r) => names.has(r.value) || [...names].some((n) => r.value.startsWith(n.replace('.All', ''))));
  const roleIds = new Set(taken.map((r) => r.id));
  const assignments = (t.objects.appRoleAssignment ?? []).filter((a) => !(a.principalId === reader.id && a.resourceId === graph.id && roleIds.has(String(a.appRoleId))));
  // the prefix takes Policy.Read.All's siblings too (Policy.Read.PermissionGrant): say which went
  return { tenant: { ...t, objects: { ...t.objects, appRoleAssignment: assignments } }, removed: new Set(taken.map((r) => r.value)) };
}

describe('missing permissions', () => {
  it('a backup app without Policy.Read.All: warnings name the permission, the rest is complete', async () => {
    const full = seedTenant({ seed: 5, users: 30 });
    const { tenant, removed } = withoutReaderPermissions(full, ['Policy.Read.All']);
    expect(tenant.objects.appRoleAssignment!.length).toBeLessThan(full.objects.appRoleAssignment!.length);
    const keys = await newKeys();
    await withEmulator(tenant, async (emu) => {
      const state = emu.tenant(tenant.tenantId).exportState();
      const b = await backupThrough(emu, tenant, keys);
      try {
        const policyTypes = catalog.filter((d) => removed.has(d.permissions.read) && (state.data.objects[d.type]?.length ?? 0) > 0).map((d) => d.type);
        expect(policyTypes).toContain('conditionalAccessPolicy');
        const warnings = b.archive.manifest.warnings;
        // every policy type present in the tenant is reported, with the permission named
        for (const type of policyTypes) {
          const w = warnings.find((x) => x.type === type);
          const permission = catalog.find((d) => d.type === type)!.permissions.read;
          expect({ type, code: w?.code, permission: w?.permission }).toEqual({ type, code: 'PERMISSION_MISSING', permission });
          expect(w!.message).toContain(permission);
          expect(b.archive.manifest.counts.objects[type] ?? 0).toBe(0);
        }
        // nothing else is warned about, and everything else is archived in full
        expect(warnings.every((w) => removed.has(w.permission ?? ''))).toBe(true);
        expect(b.result.warnings).toBe(warnings.length);
        for (const d of catalog) {
          if (removed.has(d.permissions.read)) continue;
          expect({ type: d.type, n: b.archive.manifest.counts.objects[d.type] ?? 0 }).toEqual({ type: d.type, n: state.data.objects[d.type]?.length ?? 0 });
        }
        // the CLI keeps the archive but exits 1, "ran but incomplete" (README, exit codes), and says so
        const dir = tmp();
        await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
        const run = await cli(['backup', '--source', join(dir, 'r.json'), '--vault', join(dir, 'vault'), '--init', '--recipient', keys.recipient, '--signing-key', keys.signingKeyPath]);
        expect({ code: run.code, err: run.err }).toMatchObject({ code: 1 });
        expect(run.out).toMatch(/^archive .+\.evault$/m);
        expect(run.out).toMatch(/^incomplete: \d+ of the warnings above/m);
      } finally {
        await b.archive.close();
      }
    });
  }, 120_000);
});
