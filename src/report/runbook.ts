/**
 * The recovery runbook: what to do, in which order, with which permissions, how long it
 * took last time, and which exact procedure text (script SHA-256) runs it — rendered from
 * the archive (custody facts, and the manifest when it could be decrypted), the restore
 * plan (when a target was read), the last drill recorded in the vault's audit log and the
 * recovery-scripts/ inventory. Pure rendering here; reading is done by the caller
 * (src/cli/commands/runbook.ts) or by lastDrill below.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESTORE_WRITER_PERMISSIONS, BACKUP_READER_PERMISSIONS, GLOBAL_ADMIN_TEMPLATE_ID } from '../catalog/permissions.js';
import type { RestoreTier } from '../catalog/types.js';
import type { Manifest } from '../archive/manifest.js';
import { AUDIT_LOG, verifyAuditLog } from '../vault/vault.js';
import type { Operation, Plan, ScenarioName } from '../restore/types.js';
import type { ScriptHash, ScriptHeader } from '../ops/procedures.js';
import type { Block, Doc } from './doc.js';
import { scalarText } from '../text.js';
import { NOT_READ_LIMITS, PLAN_LIMITS, SCHEMA_LIMITS, catalogLimits } from './limits.js';

export const TIER_TITLES: Record<RestoreTier, string> = {
  0: 'Bootstrap admins',
  1: 'Tenant settings and policies',
  2: 'Objects',
  3: 'Relationships and assignments',
  4: 'Conditional Access (report-only until references verify)',
  5: 'Verification',
};

/** The recovery script that carries out each scenario. */
export const SCENARIO_SCRIPTS: Record<ScenarioName, string> = {
  'tenant-loss': '40-recover-tenant-loss.sh',
  'all-admins-deleted': '30-recover-all-admins-deleted.sh',
  objects: '50-restore-objects.sh',
  attributes: '51-restore-attributes.sh',
};

/** The last drill as recorded in the vault's audit log. */
export interface LastDrill {
  at: string;
  scenario: string;
  result: string;
  rtoMs: number;
  tierMs: Partial<Record<RestoreTier, number>>;
  objects: string | null;
  pack: string | null;
}

export interface RunbookInput {
  scenario: ScenarioName;
  generatedAt: string;
  toolVersion: string;
  archive: {
    path: string;
    tenantId: string;
    takenAt: string;
    sequence: number;
    manifestSha256: string;
    signerKeyId: string;
  };
  /** Present when the archive was decrypted (--identity). */
  manifest?: Pick<Manifest, 'initialDomain' | 'counts' | 'warnings' | 'toolVersion'>;
  /** Present when a target was read (--target). */
  plan?: Plan;
  lastDrill?: LastDrill | null;
  /** Why no drill figure is shown (no vault, chain broken …). */
  lastDrillNote?: string;
  scripts: ScriptHash[];
  /** Archived id → display name / UPN, to name the objects of manual steps (from the archive). */
  names?: Record<string, string>;
  /** Header of the scenario's recovery script. */
  procedure?: ScriptHeader;
  contacts?: string[];
}

/**
 * The newest `evidence.drill` (or `drill`) record in the vault's audit log, preferring the
 * given scenario. The chain is checked first; a broken chain yields no figure and a note.
 * Never throws for a missing log.
 */
export async function lastDrill(vault: string, scenario?: string): Promise<{ drill: LastDrill | null; note?: string }> {
  let text: string;
  try {
    text = await readFile(join(vault, AUDIT_LOG), 'utf8');
  } catch {
    return { drill: null, note: `no audit log in ${vault}` };
  }
  try {
    await verifyAuditLog(vault);
  } catch (e) {
    return { drill: null, note: `audit log not trusted: ${e instanceof Error ? e.message : String(e)}` };
  }
  const drills: LastDrill[] = [];
  for (const l of text.split('\n')) {
    if (l === '') continue;
    const r = JSON.parse(l) as Record<string, unknown>;
    if (r.action !== 'evidence.drill' && r.action !== 'drill') continue;
    const rto = typeof r.rtoMs === 'number' ? r.rtoMs : typeof r.elapsedMs === 'number' ? r.elapsedMs : null;
    if (rto === null) continue;
    const tierMs: Partial<Record<RestoreTier, number>> = {};
    for (const t of [0, 1, 2, 3, 4, 5] as RestoreTier[]) if (typeof r[`rtoMsTier${t}`] === 'number') tierMs[t] = r[`rtoMsTier${t}`] as number;
    drills.push({
      at: scalarText(r.at),
      scenario: scalarText(r.scenario ?? 'unknown'),
      result: scalarText(r.result ?? 'unknown'),
      rtoMs: rto,
      tierMs,
      objects: typeof r.objectsExpected === 'number' ? `${scalarText(r.objectsRestored)}/${r.objectsExpected}` : null,
      pack: typeof r.pack === 'string' ? r.pack : null,
    });
  }
  if (drills.length === 0) return { drill: null, note: 'no drill recorded in the vault\'s audit log' };
  const same = drills.filter((d) => d.scenario === scenario);
  return { drill: (same.length ? same : drills)[(same.length ? same : drills).length - 1]! };
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function opVerb(op: Operation): string {
  switch (op.kind) {
    case 'restoreDeleted':
      return `Restore from the recycle bin (keeps id): ${op.type}`;
    case 'create':
      return `Create ${op.type}`;
    case 'update':
      return `Update ${op.type} (${op.changes.map((c) => c.property).join(', ')})`;
    case 'addRelation':
      return `Link ${op.relation}`;
    case 'createBreakGlassAdmin':
      return `Create emergency-access Global Administrator ${op.userPrincipalName} (role template ${GLOBAL_ADMIN_TEMPLATE_ID})`;
    case 'enableConditionalAccess':
      return `Set Conditional Access policy state to ${op.state}`;
    case 'verify':
      return 'Read the target again and compute fidelity';
  }
}

/** The runbook as a document (Markdown/HTML), section by section. Pure. */
export function runbookDoc(input: RunbookInput): Doc {
  const b: Block[] = [
    headerFields(input),
    ...contactsSection(input),
    ...durationSection(input.lastDrill, input.lastDrillNote),
    ...permissionsSection(),
    ...procedureSection(input),
    ...(input.manifest ? contentsSection(input.manifest) : []),
    ...(input.plan ? planSection(input.plan, input.lastDrill, input.names) : noPlanSection()),
    ...limitsSection(),
    ...closingSections(input.scripts),
  ];
  return { title: `Recovery runbook — ${input.scenario} — tenant ${input.archive.tenantId}`, blocks: b };
}

type Drill = LastDrill | null | undefined;

/** What this runbook is for: scenario, archive identity, target, provenance. */
function headerFields(input: RunbookInput): Block {
  const a = input.archive;
  return {
    kind: 'fields',
    fields: [
      ['Scenario', input.scenario],
      ['Tenant (archive)', `${a.tenantId}${input.manifest?.initialDomain ? ` (${input.manifest.initialDomain})` : ''}`],
      ['Archive', a.path],
      ['Archive taken at', a.takenAt],
      ['Archive sequence', String(a.sequence)],
      ['Manifest SHA-256', a.manifestSha256],
      ['Signed by key', a.signerKeyId],
      ...(input.plan ? ([['Target tenant', `${input.plan.target.tenantId} (${input.plan.target.initialDomain})`]] as [string, string][]) : []),
      ['Generated', `${input.generatedAt} by entra-vault ${input.toolVersion}`],
    ],
  };
}

function contactsSection(input: RunbookInput): Block[] {
  const contacts = input.contacts?.length
    ? input.contacts
    : ['Incident lead: (name, phone)', 'Second operator, four eyes: (name, phone)', 'Holder of the age identity: (name, phone)', 'DNS administrator: (name, phone)', 'Microsoft support case number: (to be filled in)'];
  return [
    { kind: 'heading', level: 1, text: 'Contacts' },
    { kind: 'list', items: contacts },
  ];
}

/** The last drill's figures, or why there are none. */
function durationSection(d: Drill, note: string | undefined): Block[] {
  const b: Block[] = [{ kind: 'heading', level: 1, text: 'Expected duration' }];
  if (!d) {
    b.push({ kind: 'para', text: `No drill figure: ${note ?? 'no drill recorded'}. Run recovery-scripts/90-drill.sh to measure one.` });
    return b;
  }
  b.push({ kind: 'para', text: `Last drill: ${d.scenario} on ${d.at}, result ${d.result}, recovery time ${duration(d.rtoMs)}${d.objects ? `, objects restored ${d.objects}` : ''}${d.pack ? `; evidence pack ${d.pack}` : ''}.` });
  const tiers = (Object.keys(d.tierMs) as unknown as RestoreTier[]).map(Number).sort((x, y) => x - y) as RestoreTier[];
  if (tiers.length) b.push({ kind: 'table', head: ['Tier', 'Phase', 'Time in last drill'], rows: tiers.map((t) => [String(t), TIER_TITLES[t], duration(d.tierMs[t]!)]) });
  b.push({ kind: 'para', text: 'A real tenant adds Microsoft Graph throttling and replication delays: plan for several times the drill figure for the same size.' });
  return b;
}

function permissionsSection(): Block[] {
  return [
    { kind: 'heading', level: 1, text: 'Roles and permissions' },
    { kind: 'para', text: 'The recovery (restore-writer) app needs these Microsoft Graph application permissions, admin-consented:' },
    { kind: 'list', items: [...RESTORE_WRITER_PERMISSIONS] },
    { kind: 'para', text: 'Restoring, deleting or resetting the password of users who hold admin roles also needs Privileged Authentication Administrator on the app itself, and restoring role-assignable groups Privileged Role Administrator (docs/graph-facts.md §4 "Sensitive actions"); the preflight lists either as missing. The backup-reader app (not used for recovery) holds:' },
    { kind: 'list', items: [...BACKUP_READER_PERMISSIONS] },
    { kind: 'para', text: 'Large tenants: Graph admits 3,000 writes per 2 min 30 s per app, and 18,000 per 5 min per tenant for all apps together (docs/graph-facts.md §5 "Throttling"). Up to three recovery apps, each registered like the first (the same permissions above and the same two directory roles, its own certificate; recovery-scripts/00-prepare-source-tenant.sh section 6), let one restore write up to three times as fast: give each its profile, `entra-vault restore ARCHIVE --target writer.json --target writer-2.json --target writer-3.json …`. All must be apps of the target tenant (else TARGET_TENANTS_DIFFER); one journal covers the whole restore, and a --resume may name the same apps again.' },
  ];
}

/** The recovery script's own header (purpose, preconditions, steps) and the command to run it. */
function procedureSection(input: RunbookInput): Block[] {
  const script = SCENARIO_SCRIPTS[input.scenario];
  const b: Block[] = [{ kind: 'heading', level: 1, text: `Procedure (recovery-scripts/${script})` }];
  const hdr = input.procedure;
  if (hdr) {
    if (hdr.title) b.push({ kind: 'para', text: hdr.title });
    for (const [label, key] of [
      ['Purpose', 'PURPOSE'],
      ['Preconditions', 'PRECONDITIONS'],
    ] as const) {
      if (hdr.sections[key]?.length) b.push({ kind: 'para', text: `${label}: ${hdr.sections[key]!.join(' ')}` });
    }
    b.push({ kind: 'heading', level: 2, text: 'Steps' });
    b.push({ kind: 'list', checkbox: true, items: joinNumbered(hdr.sections.STEPS ?? []) });
    if (hdr.sections.VERIFY?.length) b.push({ kind: 'para', text: `How to verify: ${hdr.sections.VERIFY.join(' ')}` });
  }
  b.push({ kind: 'code', text: `bash recovery-scripts/${script} --archive ${input.archive.path} --target TARGET-WRITER-PROFILE.json --identity identity.txt --out recovery-out${input.scenario === 'objects' || input.scenario === 'attributes' ? ' --objects IDS' : ''}\n# review recovery-out/plan.json, then the same command with --confirm TARGET_TENANT_ID` });
  if (input.scenario === 'tenant-loss' || input.scenario === 'all-admins-deleted') b.push({ kind: 'para', text: BOOTSTRAP_FIRST });
  return b;
}

/** How the two scenarios without a working admin restore (docs/design.md "Bootstrap-first restore"). */
const BOOTSTRAP_FIRST = 'Bootstrap first: the plan\'s tier 0 (the Global Administrators) is listed first in the review. With --confirm the restore '
  + 'reads only the admins in the target, writes tier 0, and only then reads the whole target and plans and writes the rest, so an admin can sign in '
  + 'within a minute whatever the tenant size; the one confirmation covers both phases, and nothing is written before it. With --expect-plan the '
  + 'whole reviewed plan is re-planned and checked before any write (tier 0 still runs first). Killed in either phase: the same command with --resume.';

/** Counts per type and relation, and the backup's warnings (what the archive lacks). */
function contentsSection(m: NonNullable<RunbookInput['manifest']>): Block[] {
  const objs = Object.entries(m.counts.objects).sort(([x], [y]) => (x < y ? -1 : 1));
  const rels = Object.entries(m.counts.relations).sort(([x], [y]) => (x < y ? -1 : 1));
  const b: Block[] = [
    { kind: 'heading', level: 1, text: 'Archive contents' },
    { kind: 'table', head: ['Type', 'Count'], rows: [...objs.map(([t, n]) => [t, String(n)]), ...rels.map(([t, n]) => [`relation ${t}`, String(n)])] },
  ];
  if (m.warnings.length) {
    b.push({ kind: 'para', text: `Backup warnings (${m.warnings.length}) — these are not in the archive and cannot be restored from it:` });
    b.push({ kind: 'list', items: m.warnings.map((w) => `${w.code} ${w.type}: ${w.message}`) });
  }
  return b;
}

/** The plan: summary, operations tier by tier, what it could not resolve, manual steps. */
function planSection(p: Plan, d: Drill, names: RunbookInput['names']): Block[] {
  const b: Block[] = [{ kind: 'heading', level: 1, text: 'Restore plan' }];
  b.push({ kind: 'para', text: `${p.operations.length} operations, ${p.unresolved.length} unresolved reference(s), ${p.reportOnly.length} Conditional Access policy(ies) kept report-only, ${p.manualSteps.length} manual step(s).` });
  const tiers = [0, 1, 2, 3, 4, 5] as RestoreTier[];
  b.push({ kind: 'table', head: ['Tier', 'Phase', 'Operations', 'Last drill'], rows: tiers.map((t) => [String(t), TIER_TITLES[t], String(p.operations.filter((o) => o.tier === t).length), d?.tierMs[t] !== undefined ? duration(d.tierMs[t]!) : '—']) });
  let n = 0;
  for (const t of tiers) {
    const ops = p.operations.filter((o) => o.tier === t);
    if (ops.length === 0) continue;
    b.push({ kind: 'heading', level: 2, text: `Tier ${t} — ${TIER_TITLES[t]} (${ops.length})` });
    b.push({
      kind: 'table',
      head: ['#', 'Step', 'Object'],
      rows: ops.map((o) => [String(++n), opVerb(o), o.label]),
    });
  }
  if (p.unresolved.length) {
    b.push({ kind: 'heading', level: 2, text: `Unresolved references (${p.unresolved.length})` });
    b.push({ kind: 'list', items: p.unresolved.map((u) => `${u.effect}: ${u.type} ${u.archivedId} ${u.path} = ${u.value}`) });
  }
  if (p.reportOnly.length) {
    b.push({ kind: 'heading', level: 2, text: `Conditional Access kept report-only (${p.reportOnly.length})` });
    b.push({ kind: 'list', items: p.reportOnly.map((r) => `${r.displayName}: ${r.reason}`) });
  }
  return [...b, ...manualStepsSection(p, names)];
}

/**
 * What no restore brings back, whatever the plan (src/report/limits.ts, the same list as the
 * README's and docs/limits.md): so an auditor reading the runbook sees the limits, not only
 * the steps this plan happened to need.
 */
function limitsSection(): Block[] {
  return [
    { kind: 'heading', level: 1, text: 'What a restore cannot bring back' },
    { kind: 'para', text: 'Generated from the code (src/report/limits.ts); each appears as a manual step or warning in a plan that meets it.' },
    { kind: 'list', items: PLAN_LIMITS.map((l) => `${l.what}: ${l.why} ${l.step}`) },
    // beta-only settings and custom data the backup does not read: never in an archive, so no plan names them
    { kind: 'para', text: 'Not in any archive, so no plan names them:' },
    { kind: 'list', items: [...SCHEMA_LIMITS, ...NOT_READ_LIMITS].map((l) => `${l.what}: ${l.why} ${l.step}`) },
    { kind: 'para', text: `Not archived at all (${catalogLimits().length} properties, each with its reason): ${catalogLimits().map((l) => l.what).join('; ')}.` },
  ];
}

/** Manual steps (what Graph cannot give back), then domain remapping and plan warnings. */
function manualStepsSection(p: Plan, names: RunbookInput['names']): Block[] {
  const b: Block[] = [
    { kind: 'heading', level: 1, text: `Manual steps (${p.manualSteps.length})` },
    { kind: 'para', text: 'What Microsoft Graph cannot give back. Assign each to an owner and tick it off.' },
  ];
  p.manualSteps.forEach((s, i) => {
    b.push({ kind: 'heading', level: 2, text: `M${i + 1}. ${s.title} [${s.kind}]` });
    b.push({ kind: 'para', text: s.instructions });
    if (s.objects.length) {
      const named = s.objects.map((id) => (names?.[id] ? `${names[id]} (${id})` : id));
      b.push({ kind: 'para', text: `Objects (${s.objects.length}):` });
      b.push({ kind: 'list', items: named });
    }
    b.push({ kind: 'para', text: 'Owner: (name)  Done: (date, initials)' });
  });
  const dm = Object.entries(p.domainMap);
  if (dm.length) {
    b.push({ kind: 'heading', level: 2, text: 'Domain remapping until DNS verification' });
    b.push({ kind: 'list', items: dm.map(([f, t]) => `${f} → ${t}`) });
  }
  if (p.warnings.length) {
    b.push({ kind: 'heading', level: 2, text: 'Plan warnings' });
    b.push({ kind: 'list', items: p.warnings });
  }
  return b;
}

function noPlanSection(): Block[] {
  return [
    { kind: 'heading', level: 1, text: 'Restore plan' },
    { kind: 'para', text: 'Not computed: give --target (the target tenant\'s writer profile) and --identity to render the plan, its tiers and every manual step.' },
  ];
}

/** After-restore checklist, script hashes and sign-off. */
function closingSections(scripts: RunbookInput['scripts']): Block[] {
  return [
    { kind: 'heading', level: 1, text: 'After the restore' },
    {
      kind: 'list',
      checkbox: true,
      items: [
        'Diff the archive against the target again: no object may be missing that the plan restored.',
        'Hand temporary passwords from the encrypted restore-credentials.age to their users out of band; never by e-mail in clear.',
        'Switch Conditional Access policies on only after their references verify (restore --enable-ca).',
        'Run entra-vault audit verify --vault VAULT and file its summary with this runbook.',
      ],
    },
    { kind: 'heading', level: 1, text: 'Procedure scripts (SHA-256)' },
    { kind: 'table', head: ['Script', 'SHA-256'], rows: scripts.map((s) => [s.path, s.sha256]) },
    { kind: 'heading', level: 1, text: 'Sign-off' },
    { kind: 'list', items: ['Recovery performed by: (name, date, signature)', 'Checked by, four eyes: (name, date, signature)'] },
  ];
}

/**
 * Archived id → a name people recognise (userPrincipalName, else displayName), for every
 * object of the archive that has one. Pure.
 */
export function objectNames(data: { objects: Partial<Record<string, { id: string; [k: string]: unknown }[]>> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const list of Object.values(data.objects)) {
    for (const o of list ?? []) {
      const n = typeof o.userPrincipalName === 'string' ? o.userPrincipalName : typeof o.displayName === 'string' ? o.displayName : undefined;
      if (n !== undefined) out[o.id] = n;
    }
  }
  return out;
}

/** Script header step lines ("1. …" + continuation lines) joined into one item per step. */
function joinNumbered(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^\d+\.\s+(.*)$/.exec(l);
    if (m) out.push(m[1]!);
    else if (out.length) out[out.length - 1] += ` ${l}`;
    else out.push(l);
  }
  return out;
}
