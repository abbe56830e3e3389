/**
 * Generates src/emulator/builtin/generated/tenant-builtins.ts, the content every Entra
 * tenant is born with, from the vendored documentation in vendor/tenant-builtins/
 * (provenance in its SOURCE.md, licences in its LICENSE):
 *
 * - all-roles.md + role-actions.md → the built-in directory role definitions (template id,
 *   name, description, privileged flag, allowed resource actions);
 * - permissions-descriptions.json → Microsoft Graph's application permissions (app roles)
 *   and delegated permissions (OAuth2 scopes) with their real ids;
 * - first-party-apps.md → Microsoft's first-party applications seeded as service principals;
 * - skus.md → the subscribed SKUs and their service plans.
 *
 * Usage: npm run gen:builtins [-- --check]
 * `--check` writes nothing and exits 1 when the committed module is out of date.
 * Output is deterministic (roles in the page's order, permissions sorted by value).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const VENDOR_DIR = resolve(here, '../vendor/tenant-builtins');
export const DEFAULT_OUT = resolve(here, '../src/emulator/builtin/generated/tenant-builtins.ts');
export const INPUTS = ['all-roles.md', 'role-actions.md', 'permissions-descriptions.json', 'first-party-apps.md', 'skus.md'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cells of the Markdown table rows of `md` whose `guidColumn` holds a GUID. */
function tableRows(md: string, guidColumn: number): string[][] {
  const rows: string[][] = [];
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (GUID.test(cells[guidColumn] ?? '')) rows.push(cells);
  }
  return rows;
}

/** The include-file name of a role ("Partner Tier1 Support" → partner-tier1-support). */
export function roleSlug(displayName: string): string {
  return displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function roleActions(md: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of md.split('\n')) {
    const h = /^## (\S+)$/.exec(line);
    if (h) out.set(h[1]!, (current = []));
    else if (current && /^microsoft\.\S+$/.test(line)) current.push(line);
  }
  return out;
}

interface Permission {
  id: string;
  value: string;
  adminConsentDisplayName: string | null;
  adminConsentDescription: string | null;
  consentDisplayName?: string | null;
  consentDescription?: string | null;
  isAdmin?: boolean;
  isEnabled?: boolean;
}

function permissions(list: Permission[], kind: 'app' | 'scope'): string[] {
  const seen = new Set<string>();
  const sorted = [...list].filter((p) => GUID.test(p.id) && !seen.has(p.id) && seen.add(p.id)).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.id < b.id ? -1 : 1));
  return sorted.map((p) => {
    const base = { id: p.id, value: p.value, displayName: p.adminConsentDisplayName ?? p.value, description: p.adminConsentDescription ?? '', isEnabled: p.isEnabled !== false };
    const rec = kind === 'app' ? base : { ...base, isAdmin: p.isAdmin === true, userDisplayName: p.consentDisplayName ?? null, userDescription: p.consentDescription ?? null };
    return `  ${JSON.stringify(rec)},`;
  });
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The generated module's text from the vendored inputs in `dir`. @throws Error when an input is malformed */
export function generate(dir = VENDOR_DIR): string {
  const read = (f: string): Buffer => readFileSync(resolve(dir, f));
  const hashes = INPUTS.map((f) => ` *   ${f} sha256 ${sha256(read(f))}`);
  const actions = roleActions(read('role-actions.md').toString('utf8'));
  const roles = tableRows(read('all-roles.md').toString('utf8'), 2).map(([displayName, description, templateId, privileged]) => {
    const a = actions.get(roleSlug(displayName!));
    return `  ${JSON.stringify({ templateId, displayName, description, privileged: privileged === 'yes', actions: a ?? null })},`;
  });
  if (roles.length < 100) throw new Error(`all-roles.md: only ${roles.length} roles parsed`);
  for (const slug of actions.keys()) {
    if (!tableRows(read('all-roles.md').toString('utf8'), 2).some(([n]) => roleSlug(n!) === slug)) throw new Error(`role-actions.md: no role named ${slug}`);
  }
  const perms = JSON.parse(read('permissions-descriptions.json').toString('utf8')) as { applicationScopesList: Permission[]; delegatedScopesList: Permission[] };
  const apps = tableRows(read('first-party-apps.md').toString('utf8'), 1).map(([displayName, appId]) => `  ${JSON.stringify({ appId, displayName })},`);
  const skus = tableRows(read('skus.md').toString('utf8'), 2).map(([productName, skuPartNumber, skuId, plans]) => {
    const servicePlans = plans!.split('<br/>').map((p) => {
      const m = /^(\S+) \(([0-9a-f-]{36})\)$/.exec(p.trim());
      if (!m) throw new Error(`skus.md: cannot read service plan "${p}"`);
      return { servicePlanId: m[2]!, servicePlanName: m[1]! };
    });
    return `  ${JSON.stringify({ skuId, skuPartNumber, productName, servicePlans })},`;
  });
  return [
    '/**',
    ' * The built-in content of every Entra tenant: directory role definitions, Microsoft',
    " * Graph's app roles and OAuth2 scopes, Microsoft's first-party applications, SKUs.",
    ' * Generated by scripts/gen-builtins.ts — do not edit; run `npm run gen:builtins`.',
    ' * Inputs (vendor/tenant-builtins/, provenance in SOURCE.md, licences in LICENSE:',
    ' * CC BY 4.0 © Microsoft Corporation for the documentation tables, MIT © Microsoft Graph',
    ' * for permissions-descriptions.json):',
    ...hashes,
    ' */',
    "import type { BuiltinRoleData, FirstPartyAppData, GraphPermissionData, GraphScopeData, SkuData } from '../types.js';",
    '',
    '/** Built-in directory roles, in the permissions reference\'s order; `actions` null where the role\'s include is not vendored. */',
    'export const BUILTIN_ROLES: readonly BuiltinRoleData[] = [',
    ...roles,
    '];',
    '',
    "/** Microsoft Graph's application permissions (its service principal's appRoles), sorted by value. */",
    'export const GRAPH_APP_ROLES: readonly GraphPermissionData[] = [',
    ...permissions(perms.applicationScopesList, 'app'),
    '];',
    '',
    "/** Microsoft Graph's delegated permissions (its service principal's oauth2PermissionScopes), sorted by value. */",
    'export const GRAPH_SCOPES: readonly GraphScopeData[] = [',
    ...permissions(perms.delegatedScopesList, 'scope'),
    '];',
    '',
    "/** Microsoft's first-party applications every tenant holds a service principal for. */",
    'export const FIRST_PARTY_APPS: readonly FirstPartyAppData[] = [',
    ...apps,
    '];',
    '',
    '/** The SKUs every emulated tenant is subscribed to, with their service plans. */',
    'export const SKUS: readonly SkuData[] = [',
    ...skus,
    '];',
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = generate();
  if (process.argv.includes('--check')) {
    const now = readFileSync(DEFAULT_OUT, 'utf8');
    if (now !== text) {
      process.stderr.write(`${DEFAULT_OUT} is out of date: run npm run gen:builtins\n`);
      process.exitCode = 1;
    }
  } else {
    mkdirSync(dirname(DEFAULT_OUT), { recursive: true });
    writeFileSync(DEFAULT_OUT, text);
    process.stdout.write(`wrote ${DEFAULT_OUT}\n`);
  }
}
