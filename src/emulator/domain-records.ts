/**
 * A domain's read-only navigations (docs/graph-facts.md §3 "Domains", S68):
 * `verificationDnsRecords` (the TXT and MX records that prove ownership),
 * `serviceConfigurationRecords` (the records its supported services need) and
 * `domainNameReferences` (directory objects whose names use the domain).
 * Record shapes follow the domainDnsRecord subtypes
 * (https://learn.microsoft.com/graph/api/resources/domaindnsrecord).
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { contextUrl, listPage } from './odata/listing.js';
import { badRequest } from './graph-error.js';

const TTL = 3600;

/** A stable 8-digit verification code per domain (Graph issues one per domain: `MS=ms12345678`). */
function verificationCode(domain: string): string {
  return String(createHash('sha256').update(domain.toLowerCase()).digest().readUInt32BE(0) % 1e8).padStart(8, '0');
}

/** A deterministic GUID for one record of one domain (Graph's record ids are GUIDs). */
function recordId(domain: string, kind: string): string {
  const h = createHash('sha256').update(`${domain.toLowerCase()}|${kind}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function record(id: string, type: 'Txt' | 'Mx' | 'CName', label: string, service: string | null, extra: Record<string, Json>): Record<string, Json> {
  const sub = type === 'Txt' ? 'domainDnsTxtRecord' : type === 'Mx' ? 'domainDnsMxRecord' : 'domainDnsCnameRecord';
  return { '@odata.type': `#microsoft.graph.${sub}`, id, isOptional: false, label, recordType: type, supportedService: service, ttl: TTL, ...extra };
}

/**
 * `GET /domains/{id}/verificationDnsRecords` (https://learn.microsoft.com/graph/api/domain-list-verificationdnsrecords):
 * a TXT record `MS=ms{code}` and the equivalent MX record `ms{code}.msv1.invalid`, preference 32767.
 */
function verificationRecords(domain: DirObject): Record<string, Json>[] {
  const name = domain.id;
  const code = verificationCode(name);
  return [
    record(recordId(name, 'verify-txt'), 'Txt', name, null, { text: `MS=ms${code}` }),
    record(recordId(name, 'verify-mx'), 'Mx', name, null, { mailExchange: `ms${code}.msv1.invalid`, preference: 32767 }),
  ];
}

/**
 * `GET /domains/{id}/serviceConfigurationRecords` (https://learn.microsoft.com/graph/api/domain-list-serviceconfigurationrecords):
 * the Exchange Online records of a domain whose `supportedServices` include Email (MX to
 * `{domain-with-dashes}.mail.protection.outlook.com`, the SPF TXT record, the autodiscover
 * CNAME); none for a domain without services.
 */
function serviceRecords(domain: DirObject): Record<string, Json>[] {
  const name = domain.id;
  const services = Array.isArray(domain.supportedServices) ? domain.supportedServices : [];
  if (!services.includes('Email')) return [];
  return [
    record(recordId(name, 'mx'), 'Mx', name, 'Email', { mailExchange: `${name.replace(/\./g, '-')}.mail.protection.outlook.com`, preference: 0 }),
    record(recordId(name, 'spf'), 'Txt', name, 'Email', { text: 'v=spf1 include:spf.protection.outlook.com -all' }),
    record(recordId(name, 'autodiscover'), 'CName', `autodiscover.${name}`, 'Email', { canonicalName: 'autodiscover.outlook.com' }),
  ];
}

/** Users (userPrincipalName, mail) and groups (mail) whose address uses the domain. */
export function referencingIds(ctx: Ctx, domain: string): { ids: string[]; types: Map<string, ResourceType> } {
  const suffix = `@${domain.toLowerCase()}`;
  const types = new Map<string, ResourceType>();
  const uses = (v: Json | undefined): boolean => typeof v === 'string' && v.toLowerCase().endsWith(suffix);
  for (const type of ['user', 'group'] as const) {
    for (const o of ctx.rt.store.live.get(type)?.values() ?? []) {
      if (uses(o.userPrincipalName) || uses(o.mail)) types.set(o.id, type);
    }
  }
  return { ids: [...types.keys()].sort(), types };
}

/**
 * The domain navigations above, or undefined for another segment. Every one is read-only
 * (Domain.Read.All; the references also need read permission on users and groups, as
 * https://learn.microsoft.com/graph/api/domain-list-domainnamereferences lists).
 */
export function domainNavigation(ctx: Ctx, domain: DirObject, nav: string): Answer | undefined {
  if (ctx.method !== 'GET') return undefined;
  const n = nav.toLowerCase();
  if (n === 'verificationdnsrecords' || n === 'serviceconfigurationrecords') {
    requirePermission(ctx.caller, ctx.reg.descriptor('domain'), false);
    const value = n === 'verificationdnsrecords' ? verificationRecords(domain) : serviceRecords(domain);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, `domains('${domain.id}')/${nav}`), value } };
  }
  if (n === 'domainnamereferences') {
    requirePermission(ctx.caller, ctx.reg.descriptor('domain'), false);
    requirePermission(ctx.caller, ctx.reg.descriptor('user'), false);
    requirePermission(ctx.caller, ctx.reg.descriptor('group'), false);
    const { ids, types } = referencingIds(ctx, domain.id);
    const store = ctx.rt.store;
    const get = (id: string): { type: ResourceType; obj: DirObject } | undefined => {
      const type = types.get(id);
      const obj = type ? store.get(type, id) : undefined;
      return type && obj ? { type, obj } : undefined;
    };
    return { status: 200, body: listPage(ctx, { ids, get, type: undefined, entitySet: 'directoryObjects' }) };
  }
  return undefined;
}

/**
 * A domain that objects still name cannot be deleted: "Attempts to delete will fail if there are
 * any resources or objects still dependent on the domain. You can find all dependent resources by
 * using the List domainNameReferences API" (https://learn.microsoft.com/graph/api/domain-delete).
 * Graph's wording of the refusal is not documented; the emulator's names the count and the list.
 * @throws GraphHttpError 400 when a user or group still names the domain
 */
export function checkDomainDeletable(ctx: Ctx, domain: DirObject): void {
  const n = referencingIds(ctx, domain.id).ids.length;
  if (n > 0) throw badRequest(`Domain '${domain.id}' cannot be deleted: ${n} object(s) still use it (GET /domains/${domain.id}/domainNameReferences lists them).`);
}
