/**
 * Generates src/catalog/generated/graph-v1.0.ts from Microsoft Graph's v1.0 CSDL
 * (microsoftgraph/msgraph-metadata, clean_v10_metadata/cleanMetadata.xml) and the
 * heuristic 2021 property notes (microsoft-graph-docs tables, CC-BY-4.0).
 *
 * Usage: npm run gen:catalog [-- <cleanMetadata.xml> [<property-notes.json> [<out.ts>]]]
 *
 * Defaults read the vendored copies in vendor/graph-metadata/ (provenance and licences in
 * its SOURCE.md and LICENSE) and write the committed module, so a clone regenerates the
 * same bytes: `npm run gen:catalog && git status` shows no change.
 * Output is deterministic (sorted types, properties in CSDL declaration order with
 * bases first, sorted note lists) so test/catalog can regenerate and compare bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

const here = dirname(fileURLToPath(import.meta.url));
// The vendored metadata (vendor/graph-metadata/SOURCE.md), resolved from this file so the
// script works from any clone and any working directory.
export const DEFAULT_XML = resolve(here, '../vendor/graph-metadata/cleanMetadata-v1.0.xml');
export const DEFAULT_NOTES = resolve(here, '../vendor/graph-metadata/property-notes-2021.json');
export const DEFAULT_OUT = resolve(here, '../src/catalog/generated/graph-v1.0.ts');

/** Entity types the catalog describes (resources.ts `entityType` values). */
export const ROOT_ENTITY_TYPES: readonly string[] = [
  'microsoft.graph.administrativeUnit',
  'microsoft.graph.appRoleAssignment',
  'microsoft.graph.application',
  'microsoft.graph.attributeSet',
  'microsoft.graph.authenticationCombinationConfiguration',
  'microsoft.graph.fido2CombinationConfiguration',
  'microsoft.graph.x509CertificateCombinationConfiguration',
  'microsoft.graph.authenticationMethodConfiguration',
  // Not a catalog type: the element type of the configurations' inline `includeTargets`.
  'microsoft.graph.authenticationMethodTarget',
  'microsoft.graph.authenticationMethodsPolicy',
  'microsoft.graph.authenticationStrengthPolicy',
  'microsoft.graph.authorizationPolicy',
  'microsoft.graph.conditionalAccessPolicy',
  'microsoft.graph.crossTenantAccessPolicy',
  'microsoft.graph.crossTenantAccessPolicyConfigurationDefault',
  'microsoft.graph.crossTenantAccessPolicyConfigurationPartner',
  'microsoft.graph.customSecurityAttributeDefinition',
  'microsoft.graph.domain',
  'microsoft.graph.extensionProperty',
  'microsoft.graph.federatedIdentityCredential',
  'microsoft.graph.group',
  'microsoft.graph.groupSetting',
  'microsoft.graph.identitySecurityDefaultsEnforcementPolicy',
  'microsoft.graph.activityBasedTimeoutPolicy',
  'microsoft.graph.claimsMappingPolicy',
  'microsoft.graph.homeRealmDiscoveryPolicy',
  'microsoft.graph.tokenIssuancePolicy',
  'microsoft.graph.tokenLifetimePolicy',
  'microsoft.graph.namedLocation',
  'microsoft.graph.oAuth2PermissionGrant',
  'microsoft.graph.organization',
  'microsoft.graph.organizationalBranding',
  'microsoft.graph.organizationalBrandingLocalization',
  'microsoft.graph.scopedRoleMembership',
  'microsoft.graph.servicePrincipal',
  'microsoft.graph.unifiedRoleAssignment',
  'microsoft.graph.unifiedRoleAssignmentSchedule',
  'microsoft.graph.unifiedRoleDefinition',
  'microsoft.graph.unifiedRoleEligibilitySchedule',
  // PIM role settings (issue 15 item 1): the policies, their assignments to roles, and the
  // rule types the policies' inline `rules` hold (not catalog types themselves).
  'microsoft.graph.unifiedRoleManagementPolicy',
  'microsoft.graph.unifiedRoleManagementPolicyAssignment',
  'microsoft.graph.unifiedRoleManagementPolicyRule',
  'microsoft.graph.user',
  // App management and consent governance (issue 15 items 3 and 4): the tenant default and
  // custom app management policies, delegated permission classifications, permission grant
  // policies with their condition sets, the admin consent request policy.
  'microsoft.graph.tenantAppManagementPolicy',
  'microsoft.graph.appManagementPolicy',
  'microsoft.graph.delegatedPermissionClassification',
  'microsoft.graph.permissionGrantPolicy',
  'microsoft.graph.permissionGrantConditionSet',
  'microsoft.graph.adminConsentRequestPolicy',
  // Conditional Access dependencies and external identities (issue 15 items 5-6):
  // src/catalog/ca-dependencies.ts, src/catalog/external-identities.ts.
  'microsoft.graph.authenticationContextClassReference',
  'microsoft.graph.identityProviderBase',
  'microsoft.graph.internalDomainFederation',
  'microsoft.graph.authenticationFlowsPolicy',
  'microsoft.graph.customAuthenticationExtension',
  'microsoft.graph.b2xIdentityUserFlow',
  'microsoft.graph.authenticationEventListener',
  // the contained { appId } entries of a listener's conditions, which its references name
  'microsoft.graph.authenticationConditionApplication',
  // a user flow's attribute assignments and the attributes they collect: src/catalog/user-flow-attributes.ts
  'microsoft.graph.identityUserFlowAttribute',
  'microsoft.graph.identityUserFlowAttributeAssignment',
  'microsoft.graph.userFlowLanguageConfiguration',
  // external-tenant sign-up flows and the handlers their events name: src/catalog/events-flows.ts
  'microsoft.graph.authenticationEventsFlow',
  // Directory settings (issue 15 item 10): src/catalog/directory-settings.ts.
  'microsoft.graph.groupLifecyclePolicy',
  // PIM for Groups schedules (issue 15 item 1): src/catalog/pim-groups.ts
  'microsoft.graph.privilegedAccessGroupEligibilitySchedule',
  'microsoft.graph.privilegedAccessGroupAssignmentSchedule',
  // Entitlement management (issue 15 item 8): src/catalog/entitlement.ts.
  'microsoft.graph.accessPackageCatalog',
  'microsoft.graph.accessPackage',
  'microsoft.graph.accessPackageAssignmentPolicy',
  'microsoft.graph.accessPackageAssignment',
  // an assignment's target, whose objectId the catalog's references name (it is requested again for the user)
  'microsoft.graph.accessPackageSubject',
  'microsoft.graph.connectedOrganization',
  'microsoft.graph.entitlementManagementSettings',
  // Catalog resources and access package resource role scopes (issue 15 item 8, part 2): src/catalog/entitlement-resources.ts.
  'microsoft.graph.accessPackageResource',
  'microsoft.graph.accessPackageResourceRoleScope',
  // its role and scope navigations, whose origin ids the catalog's references name
  'microsoft.graph.accessPackageResourceRole',
  'microsoft.graph.accessPackageResourceScope',
  // a catalog's custom workflow extensions (issue 15 item 8, part 3): src/catalog/entitlement-extensions.ts
  'microsoft.graph.accessPackageAssignmentRequestWorkflowExtension',
  'microsoft.graph.accessPackageAssignmentWorkflowExtension',
  // a policy's stage settings, whose customExtension.id the catalog's references name
  'microsoft.graph.customExtensionStageSetting',
  'microsoft.graph.customCalloutExtension',
  // Access reviews and lifecycle workflows (issue 15 item 9): src/catalog/governance.ts.
  'microsoft.graph.accessReviewScheduleDefinition',
  'microsoft.graph.identityGovernance.workflow',
  'microsoft.graph.identityGovernance.task',
  'microsoft.graph.identityGovernance.lifecycleManagementSettings',
  'microsoft.graph.identityGovernance.customTaskExtension',
  // Devices and their settings (issue 15 item 10): src/catalog/devices.ts.
  'microsoft.graph.device',
  'microsoft.graph.deviceRegistrationPolicy',
  'microsoft.graph.certificateBasedAuthConfiguration',
  // Cross-tenant identity synchronization (issue 15 item 7): src/catalog/cross-tenant-sync.ts.
  'microsoft.graph.crossTenantIdentitySyncPolicyPartner',
  // a lifecycle workflow's administrationScopeTargets are directory objects (issue 15 item 9): src/catalog/governance.ts
  'microsoft.graph.directoryObject',
  // Multi-tenant organization (issue 15 item 7): src/catalog/multi-tenant-org.ts.
  'microsoft.graph.multiTenantOrganization',
  'microsoft.graph.multiTenantOrganizationMember',
  'microsoft.graph.multiTenantOrganizationJoinRequestRecord',
  // Organizational contacts (issue 15 item 10): src/catalog/org-contacts.ts.
  'microsoft.graph.orgContact',
  // People settings (issue 15 item 10): src/catalog/people-settings.ts.
  'microsoft.graph.pronounsSettings',
  'microsoft.graph.insightsSettings',
  'microsoft.graph.profileCardProperty',
  'microsoft.graph.profileSource',
  'microsoft.graph.profilePropertySetting',
];

/**
 * Polymorphic collections: Graph returns items of these derived types, so their
 * entity types are generated too (namedLocation → ip/country; one configuration
 * type per authentication method).
 */
export const POLYMORPHIC_ROOTS: readonly string[] = [
  'microsoft.graph.authenticationMethodConfiguration',
  'microsoft.graph.authenticationMethodTarget',
  'microsoft.graph.namedLocation',
  'microsoft.graph.unifiedRoleManagementPolicyRule',
  // identity providers: social, built-in, Apple, OIDC (issue 15 item 6)
  'microsoft.graph.identityProviderBase',
  'microsoft.graph.customAuthenticationExtension',
  'microsoft.graph.authenticationEventListener',
  // built-in and custom user flow attributes (issue 15 item 6)
  'microsoft.graph.identityUserFlowAttribute',
  // sign-up events flows (v1.0 derives only externalUsersSelfServiceSignUpEventsFlow)
  'microsoft.graph.authenticationEventsFlow',
];

/** property-notes-2021.json resource keys → CSDL entity type. */
const NOTE_RESOURCES: Readonly<Record<string, string>> = {
  administrativeunit: 'microsoft.graph.administrativeUnit',
  application: 'microsoft.graph.application',
  approleassignment: 'microsoft.graph.appRoleAssignment',
  authorizationpolicy: 'microsoft.graph.authorizationPolicy',
  conditionalaccesspolicy: 'microsoft.graph.conditionalAccessPolicy',
  domain: 'microsoft.graph.domain',
  extensionproperty: 'microsoft.graph.extensionProperty',
  group: 'microsoft.graph.group',
  groupsetting: 'microsoft.graph.groupSetting',
  namedlocation: 'microsoft.graph.namedLocation',
  oauth2permissiongrant: 'microsoft.graph.oAuth2PermissionGrant',
  organization: 'microsoft.graph.organization',
  serviceprincipal: 'microsoft.graph.servicePrincipal',
  user: 'microsoft.graph.user',
};

interface RawAttrs {
  [k: string]: unknown;
}
interface Prop {
  name: string;
  type: string;
  collection: boolean;
  nullable: boolean;
  computed: boolean;
  immutable: boolean;
}
interface Nav {
  name: string;
  type: string;
  collection: boolean;
}
interface TypeDef {
  name: string;
  kind: 'entity' | 'complex';
  baseType: string | null;
  abstract: boolean;
  openType: boolean;
  declared: Prop[];
  nav: Nav[];
}

function arr<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function str(a: RawAttrs, k: string): string | undefined {
  const v = a[`@_${k}`];
  return typeof v === 'string' ? v : undefined;
}

/** Parses the CSDL into qualified type definitions plus property annotations. */
function parseCsdl(xml: string): Map<string, TypeDef> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    isArray: (name) =>
      ['Schema', 'EntityType', 'ComplexType', 'Property', 'NavigationProperty', 'Annotations', 'Annotation'].includes(name),
  });
  const doc = parser.parse(xml) as RawAttrs;
  const edmx = doc['edmx:Edmx'] as RawAttrs;
  const ds = edmx['edmx:DataServices'] as RawAttrs;
  const schemas = arr(ds['Schema'] as RawAttrs[]);

  const aliases = new Map<string, string>();
  for (const s of schemas) {
    const ns = str(s, 'Namespace')!;
    aliases.set(ns, ns);
    const alias = str(s, 'Alias');
    if (alias) aliases.set(alias, ns);
  }
  const qualify = (t: string): string => {
    const i = t.lastIndexOf('.');
    if (i < 0) return t;
    const prefix = t.slice(0, i);
    const ns = aliases.get(prefix);
    return ns ? `${ns}.${t.slice(i + 1)}` : t;
  };
  const parseType = (raw: string): { type: string; collection: boolean } => {
    const m = /^Collection\((.*)\)$/.exec(raw);
    return m ? { type: qualify(m[1]!), collection: true } : { type: qualify(raw), collection: false };
  };

  const computed = new Set<string>();
  const immutable = new Set<string>();
  const noteTerms = (target: string, annotations: RawAttrs[]): void => {
    for (const an of annotations) {
      const term = str(an, 'Term');
      const on = str(an, 'Bool') !== 'false';
      if (term === 'Org.OData.Core.V1.Computed' && on) computed.add(target);
      if (term === 'Org.OData.Core.V1.Immutable' && on) immutable.add(target);
      if (term === 'Org.OData.Core.V1.Permissions') {
        // Permissions = Read only (no ReadWrite) also marks a read-only property.
        const em = an['EnumMember'];
        if (typeof em === 'string' && em.trim() === 'Org.OData.Core.V1.Permission/Read') computed.add(target);
      }
    }
  };

  const types = new Map<string, TypeDef>();
  for (const s of schemas) {
    const ns = str(s, 'Namespace')!;
    for (const ann of arr(s['Annotations'] as RawAttrs[])) {
      const target = str(ann, 'Target');
      if (!target) continue;
      // `graph.user/displayName` → `microsoft.graph.user/displayName`.
      const slash = target.indexOf('/');
      const key = slash < 0 ? qualify(target) : `${qualify(target.slice(0, slash))}${target.slice(slash)}`;
      noteTerms(key, arr(ann['Annotation'] as RawAttrs[]));
    }
    for (const kind of ['EntityType', 'ComplexType'] as const) {
      for (const t of arr(s[kind] as RawAttrs[])) {
        const name = `${ns}.${str(t, 'Name')!}`;
        const declared: Prop[] = [];
        for (const p of arr(t['Property'] as RawAttrs[])) {
          const pname = str(p, 'Name')!;
          noteTerms(`${name}/${pname}`, arr(p['Annotation'] as RawAttrs[]));
          declared.push({
            name: pname,
            ...parseType(str(p, 'Type')!),
            nullable: str(p, 'Nullable') !== 'false',
            computed: false,
            immutable: false,
          });
        }
        const nav: Nav[] = arr(t['NavigationProperty'] as RawAttrs[]).map((n) => ({
          name: str(n, 'Name')!,
          ...parseType(str(n, 'Type')!),
        }));
        const base = str(t, 'BaseType');
        types.set(name, {
          name,
          kind: kind === 'EntityType' ? 'entity' : 'complex',
          baseType: base ? qualify(base) : null,
          abstract: str(t, 'Abstract') === 'true',
          openType: str(t, 'OpenType') === 'true',
          declared,
          nav,
        });
      }
    }
  }
  for (const t of types.values()) {
    for (const p of t.declared) {
      p.computed = computed.has(`${t.name}/${p.name}`);
      p.immutable = immutable.has(`${t.name}/${p.name}`);
    }
  }
  return types;
}

/** Enum types of the CSDL by qualified name: member names in declaration order, and IsFlags. */
function parseEnums(xml: string): Map<string, { members: string[]; flags: boolean }> {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, isArray: (name) => ['Schema', 'EnumType', 'Member'].includes(name) });
  const doc = parser.parse(xml) as RawAttrs;
  const ds = (doc['edmx:Edmx'] as RawAttrs)['edmx:DataServices'] as RawAttrs;
  const out = new Map<string, { members: string[]; flags: boolean }>();
  for (const s of arr(ds['Schema'] as RawAttrs[])) {
    const ns = str(s, 'Namespace')!;
    for (const e of arr(s['EnumType'] as RawAttrs[])) {
      out.set(`${ns}.${str(e, 'Name')!}`, { members: arr(e['Member'] as RawAttrs[]).map((m) => str(m, 'Name')!), flags: str(e, 'IsFlags') === 'true' });
    }
  }
  return out;
}

/** The enum types the emitted types' properties use, as the generated module declares them. */
function enumLines(xml: string, types: Map<string, TypeDef>, emitted: readonly string[]): string[] {
  const enums = parseEnums(xml);
  const used = new Set<string>();
  for (const name of emitted) for (const pr of flatten(types, name).props) if (enums.has(pr.type)) used.add(pr.type);
  const lines = [
    '/** An enum type: its member names (values are sent as these strings) and whether it is a flags enum. */',
    'export interface GeneratedEnum {',
    '  readonly members: readonly string[];',
    '  /** IsFlags: a value may name several members, comma-separated. */',
    '  readonly flags: boolean;',
    '}',
    '',
    '/** The enum types used by the properties above, keyed by qualified name. */',
    'export const graphEnums: Readonly<Record<string, GeneratedEnum>> = {',
  ];
  for (const name of [...used].sort()) {
    const e = enums.get(name)!;
    lines.push(`  '${name}': { members: [${e.members.map((m) => `'${m}'`).join(', ')}], flags: ${e.flags} },`);
  }
  lines.push('};', '');
  return lines;
}

/** Structural properties including inherited ones, bases first (id first for entities). */
function flatten(types: Map<string, TypeDef>, name: string): { props: Prop[]; nav: Nav[] } {
  const chain: TypeDef[] = [];
  let cur: string | null = name;
  while (cur) {
    const t = types.get(cur);
    if (!t) throw new Error(`CSDL: unknown type ${cur}`);
    chain.unshift(t);
    cur = t.baseType;
  }
  const props: Prop[] = [];
  const nav: Nav[] = [];
  const seen = new Set<string>();
  for (const t of chain) {
    for (const p of t.declared) {
      // A derived type re-declaring a property (namedLocation's own `id` under
      // policyDeletableItem) keeps a single entry.
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      props.push(p);
    }
    nav.push(...t.nav);
  }
  return { props, nav };
}

interface Notes {
  resources: Record<string, Record<string, { returnedByDefault: boolean | null; readOnly: boolean; requiredOnCreate: boolean }>>;
}

/** Pure generation: CSDL text + notes text → the TypeScript module text. */
export function generate(xml: string, notesJson: string): string {
  const sha = createHash('sha256').update(xml).digest('hex');
  const types = parseCsdl(xml);
  const derivedOf = new Map<string, string[]>();
  for (const t of types.values()) {
    if (!t.baseType) continue;
    const list = derivedOf.get(t.baseType) ?? [];
    list.push(t.name);
    derivedOf.set(t.baseType, list);
  }
  const allDerived = (name: string): string[] => {
    const out: string[] = [];
    const walk = (n: string): void => {
      for (const d of derivedOf.get(n) ?? []) {
        out.push(d);
        walk(d);
      }
    };
    walk(name);
    return out.sort();
  };

  const entities = new Set<string>(ROOT_ENTITY_TYPES);
  for (const r of POLYMORPHIC_ROOTS) for (const d of allDerived(r)) if (types.get(d)?.kind === 'entity') entities.add(d);

  // Complex types reachable from the entities' structural properties (and their
  // derived complex types, since Graph may return any of them).
  const complex = new Set<string>();
  const queue: string[] = [];
  const visitType = (tn: string): void => {
    const t = types.get(tn);
    if (!t || t.kind !== 'complex' || complex.has(tn)) return;
    complex.add(tn);
    queue.push(tn);
    for (const d of allDerived(tn)) visitType(d);
  };
  for (const e of entities) for (const p of flatten(types, e).props) visitType(p.type);
  while (queue.length > 0) {
    const tn = queue.shift()!;
    for (const p of flatten(types, tn).props) visitType(p.type);
  }

  const emitted = [...entities, ...complex].sort();
  const lines: string[] = [];
  lines.push(
    '/**',
    ' * Microsoft Graph v1.0 schema subset used by the entra-vault catalog.',
    ' *',
    ' * Source: repository microsoftgraph/msgraph-metadata, path clean_v10_metadata/cleanMetadata.xml,',
    ' * commit f54f11b60956ea7b185ca0447b2b80805836ec7b,',
    ` * sha256 ${sha}.`,
    ' * MIT licence, Copyright (c) 2018 Microsoft Graph.',
    ' * Property notes: microsoftgraph/microsoft-graph-docs@db3ad7292b828f2149fe620c9a6de9f98946b4fd',
    ' * (2021-07-16, CC-BY-4.0), parsed heuristically; the CSDL wins where they disagree.',
    ' *',
    ' * generated by scripts/gen-catalog.ts — do not edit',
    ' */',
    '',
    `export const GRAPH_METADATA_SHA256 = '${sha}';`,
    '',
    'export interface GeneratedProperty {',
    '  readonly name: string;',
    '  /** Qualified type: `Edm.String`, `microsoft.graph.passwordProfile`, … */',
    '  readonly type: string;',
    '  readonly collection: boolean;',
    '  readonly nullable: boolean;',
    '  /** Org.OData.Core.V1.Computed, or Core.V1.Permissions = Read only. */',
    '  readonly computed: boolean;',
    '  /** Org.OData.Core.V1.Immutable: writable on create only. */',
    '  readonly immutable: boolean;',
    '}',
    '',
    'export interface GeneratedNavigation {',
    '  readonly name: string;',
    '  readonly type: string;',
    '  readonly collection: boolean;',
    '}',
    '',
    'export interface GeneratedType {',
    '  readonly name: string;',
    "  readonly kind: 'entity' | 'complex';",
    '  readonly baseType: string | null;',
    '  readonly abstract: boolean;',
    '  readonly openType: boolean;',
    '  /** Structural properties including inherited ones, bases first. */',
    '  readonly properties: readonly GeneratedProperty[];',
    '  /** Navigation properties including inherited ones. */',
    '  readonly navigationProperties: readonly GeneratedNavigation[];',
    '  /** Every type deriving from this one (transitively) that is part of this file. */',
    '  readonly derivedTypes: readonly string[];',
    '}',
    '',
    'export interface GeneratedNotes {',
    '  /** Returned without `$select` (null: the 2021 table did not say). */',
    '  readonly defaultProperties: readonly string[] | null;',
    '  readonly readOnly: readonly string[];',
    '  readonly requiredOnCreate: readonly string[];',
    '}',
    '',
    'const p = (name: string, type: string, collection: boolean, nullable: boolean, computed: boolean, immutable: boolean): GeneratedProperty =>',
    '  ({ name, type, collection, nullable, computed, immutable });',
    'const n = (name: string, type: string, collection: boolean): GeneratedNavigation => ({ name, type, collection });',
    '',
    '/** Entity and complex types keyed by qualified name. */',
    'export const graphTypes: Readonly<Record<string, GeneratedType>> = {',
  );
  const emittedSet = new Set(emitted);
  const q = (s: string): string => `'${s}'`;
  for (const name of emitted) {
    const t = types.get(name)!;
    const { props, nav } = flatten(types, name);
    const derived = allDerived(name).filter((d) => emittedSet.has(d));
    lines.push(`  ${q(name)}: {`);
    lines.push(`    name: ${q(name)}, kind: ${q(t.kind)}, baseType: ${t.baseType ? q(t.baseType) : 'null'}, abstract: ${t.abstract}, openType: ${t.openType},`);
    lines.push('    properties: [');
    for (const pr of props) {
      lines.push(`      p(${q(pr.name)}, ${q(pr.type)}, ${pr.collection}, ${pr.nullable}, ${pr.computed}, ${pr.immutable}),`);
    }
    lines.push('    ],');
    if (nav.length === 0) lines.push('    navigationProperties: [],');
    else {
      lines.push('    navigationProperties: [');
      for (const nv of nav) lines.push(`      n(${q(nv.name)}, ${q(nv.type)}, ${nv.collection}),`);
      lines.push('    ],');
    }
    lines.push(`    derivedTypes: [${derived.map(q).join(', ')}],`);
    lines.push('  },');
  }
  lines.push('};', '');
  lines.push(...enumLines(xml, types, emitted));

  const notes = JSON.parse(notesJson) as Notes;
  lines.push('/** 2021 docs property flags per entity type (heuristic; see header). */');
  lines.push('export const propertyNotes2021: Readonly<Record<string, GeneratedNotes>> = {');
  for (const key of Object.keys(NOTE_RESOURCES).sort((a, b) => NOTE_RESOURCES[a]!.localeCompare(NOTE_RESOURCES[b]!))) {
    const res = notes.resources[key];
    if (!res) continue;
    const entries = Object.entries(res).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const defaults = entries.filter(([, v]) => v.returnedByDefault === true).map(([k]) => k);
    const readOnly = entries.filter(([, v]) => v.readOnly).map(([k]) => k);
    const required = entries.filter(([, v]) => v.requiredOnCreate).map(([k]) => k);
    lines.push(`  ${q(NOTE_RESOURCES[key]!)}: {`);
    lines.push(`    defaultProperties: ${defaults.length > 0 ? `[${defaults.map(q).join(', ')}]` : 'null'},`);
    lines.push(`    readOnly: [${readOnly.map(q).join(', ')}],`);
    lines.push(`    requiredOnCreate: [${required.map(q).join(', ')}],`);
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

/**
 * What `npm run gen:catalog [-- xml [notes [out]]]` does: read the two inputs (defaults: the
 * vendored copies), generate, write `out` (default: the committed module), creating its
 * directory. Returns the path written and its size.
 * @throws Error (ENOENT) when an input is missing; Error from generate() on a CSDL that lacks
 *   a catalog type. Never writes anything else.
 */
export function writeCatalog(argv: readonly string[]): { outPath: string; bytes: number } {
  const xmlPath = argv[0] ?? DEFAULT_XML;
  const notesPath = argv[1] ?? DEFAULT_NOTES;
  const outPath = argv[2] ?? DEFAULT_OUT;
  const text = generate(readFileSync(xmlPath, 'utf8'), readFileSync(notesPath, 'utf8'));
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text);
  return { outPath, bytes: Buffer.byteLength(text) };
}

function main(argv: readonly string[]): void {
  const { outPath, bytes } = writeCatalog(argv);
  process.stdout.write(`wrote ${outPath} (${bytes} bytes)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
