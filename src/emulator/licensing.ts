/**
 * Subscriptions and licences: `/subscribedSkus`, `/users/{id}/licenseDetails` and
 * `POST /users/{id}/assignLicense`. Every tenant is subscribed to the SKUs of
 * src/emulator/builtin/generated/tenant-builtins.ts (`SKUS`, real skuIds and service plans
 * from vendor/tenant-builtins/skus.md); a SKU's consumed units are the users holding it.
 * Nothing here is stored: SKUs are derived from the tenant and the users' `assignedLicenses`.
 */
import { createHash } from 'node:crypto';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import { SKUS } from './builtin/generated/tenant-builtins.js';
import type { SkuData } from './builtin/types.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, notFound } from './graph-error.js';
import { contextUrl, project } from './odata/listing.js';
import type { TenantStore } from './store.js';
import { asBody } from './writes.js';

/** Prepaid units of every emulated subscription (a lab choice: no assignment runs out). */
const PREPAID_UNITS = 10000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stableGuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function licensesOf(u: DirObject): Array<{ skuId: string; disabledPlans: string[] }> {
  const list = Array.isArray(u.assignedLicenses) ? u.assignedLicenses : [];
  return list.flatMap((l) => {
    if (l === null || typeof l !== 'object' || Array.isArray(l) || typeof l.skuId !== 'string') return [];
    const disabled = Array.isArray(l.disabledPlans) ? l.disabledPlans.filter((x): x is string => typeof x === 'string') : [];
    return [{ skuId: l.skuId.toLowerCase(), disabledPlans: disabled }];
  });
}

function accountName(store: TenantStore): string {
  for (const d of store.live.get('domain')?.values() ?? []) if (d.isInitial === true) return d.id.replace(/\.onmicrosoft\.com$/i, '');
  return store.tenantId;
}

/** A subscribedSku as "List subscribedSkus" shows it (https://learn.microsoft.com/graph/api/subscribedsku-list). */
function skuObject(store: TenantStore, sku: SkuData): DirObject {
  let consumed = 0;
  for (const u of store.live.get('user')?.values() ?? []) if (licensesOf(u).some((l) => l.skuId === sku.skuId)) consumed++;
  return {
    '@odata.type': '#microsoft.graph.subscribedSku',
    id: `${store.tenantId}_${sku.skuId}`,
    accountId: store.tenantId,
    accountName: accountName(store),
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    consumedUnits: consumed,
    prepaidUnits: { enabled: PREPAID_UNITS, lockedOut: 0, suspended: 0, warning: 0 },
    servicePlans: sku.servicePlans.map((p) => ({ servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, provisioningStatus: 'Success', appliesTo: 'User' })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [stableGuid('subscription', store.tenantId, sku.skuId)],
  };
}

const SKU_PROPERTIES = new Set(['id', 'accountId', 'accountName', 'appliesTo', 'capabilityStatus', 'consumedUnits', 'prepaidUnits', 'servicePlans', 'skuId', 'skuPartNumber', 'subscriptionIds']);

/** `$select` (the only query option the List page supports; `$filter` stays refused by the unread-option check). */
function selectSku(ctx: Ctx, o: DirObject): DirObject {
  const raw = ctx.query.get('$select');
  if (raw === null || raw.trim() === '') return o;
  const props = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of props) {
    if (!SKU_PROPERTIES.has(p)) throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${p}' on type 'microsoft.graph.subscribedSku'.`, 'BadRequest');
  }
  const out: DirObject = { '@odata.type': o['@odata.type'] ?? null, id: o.id };
  for (const p of props) out[p] = o[p] ?? null;
  return out;
}

/** `GET /subscribedSkus[/{id}]` (https://learn.microsoft.com/graph/api/subscribedsku-get). */
export function subscribedSkus(ctx: Ctx, rest: string[]): Answer {
  if (ctx.method !== 'GET' || rest.length > 1) throw badRequest(`Unsupported request on subscribedSkus: ${ctx.method} ${rest.join('/')}`);
  requirePermission(ctx.caller, ctx.reg.descriptor('organization'), false);
  const store = ctx.rt.store;
  const all = SKUS.map((s) => skuObject(store, s));
  if (rest.length === 1) {
    const o = all.find((s) => s.id.toLowerCase() === rest[0]!.toLowerCase());
    if (!o) throw notFound(rest[0]!);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, 'subscribedSkus', undefined, true), ...selectSku(ctx, o) } };
  }
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'subscribedSkus'), value: all.map((o) => selectSku(ctx, o)) } };
}

/** `GET /users/{id}/licenseDetails` (https://learn.microsoft.com/graph/api/user-list-licensedetails). */
export function licenseDetails(ctx: Ctx, user: DirObject, rest: string[]): Answer {
  if (ctx.method !== 'GET' || rest.length !== 0) throw badRequest(`Unsupported request on licenseDetails: ${ctx.method} ${rest.join('/')}`);
  requirePermission(ctx.caller, ctx.reg.descriptor('user'), false);
  const value: Json[] = [];
  for (const l of licensesOf(user)) {
    const sku = SKUS.find((s) => s.skuId === l.skuId);
    const id = createHash('sha256').update(`licenseDetails|${user.id}|${l.skuId}`).digest('base64url').slice(0, 43);
    value.push({
      '@odata.type': '#microsoft.graph.licenseDetails',
      id,
      skuId: l.skuId,
      skuPartNumber: sku?.skuPartNumber ?? null,
      servicePlans: (sku?.servicePlans ?? []).map((p) => ({
        servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, appliesTo: 'User',
        provisioningStatus: l.disabledPlans.some((d) => d.toLowerCase() === p.servicePlanId) ? 'Disabled' : 'Success',
      })),
    });
  }
  return { status: 200, body: { '@odata.context': contextUrl(ctx, `users('${user.id}')/licenseDetails`), value } };
}

function guidList(v: Json | undefined, name: string): string[] {
  if (!Array.isArray(v)) throw badRequest(`Invalid value specified for property '${name}' of resource 'User'.`);
  return v.map((x) => {
    if (typeof x !== 'string' || !GUID.test(x)) throw badRequest(`Invalid value specified for property '${name}' of resource 'User'.`);
    return x.toLowerCase();
  });
}

function parseAdds(v: Json | undefined): Array<{ skuId: string; disabledPlans: string[] }> {
  if (!Array.isArray(v)) throw badRequest("Invalid value specified for property 'addLicenses' of resource 'User'.");
  return v.map((x) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) throw badRequest("Invalid value specified for property 'addLicenses' of resource 'User'.");
    const [skuId] = guidList([x.skuId ?? null], 'addLicenses');
    return { skuId: skuId!, disabledPlans: x.disabledPlans == null ? [] : guidList(x.disabledPlans, 'disabledPlans') };
  });
}

/**
 * `POST /users/{id}/assignLicense` {addLicenses, removeLicenses}: both parameters are
 * required (removeLicenses may be empty); a user without `usageLocation` cannot be licensed
 * (400 "License assignment cannot be done for user with invalid usage location.": the user
 * resource documents usageLocation as required for users assigned licences,
 * https://learn.microsoft.com/graph/api/resources/user); every skuId must be one of the
 * tenant's subscribed SKUs and every disabled plan one of that SKU's plans. Answers 200 with
 * the user (https://learn.microsoft.com/graph/api/user-assignlicense). Needs
 * User.ReadWrite.All or Directory.ReadWrite.All.
 */
export function assignLicense(ctx: Ctx, user: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor('user'), true);
  const body = asBody(ctx.body);
  const adds = parseAdds(body.addLicenses);
  const removes = guidList(body.removeLicenses, 'removeLicenses');
  const held = licensesOf(user);
  for (const a of adds) {
    const sku = SKUS.find((s) => s.skuId === a.skuId);
    if (!sku) throw badRequest(`License ${a.skuId} does not correspond to a valid company License.`);
    const bad = a.disabledPlans.find((p) => !sku.servicePlans.some((sp) => sp.servicePlanId === p));
    if (bad) throw badRequest(`Service plan ${bad} is not part of the license ${a.skuId}.`);
  }
  for (const r of removes) if (!held.some((l) => l.skuId === r)) throw badRequest(`User does not have a corresponding license ${r}.`);
  if (adds.length > 0 && (typeof user.usageLocation !== 'string' || user.usageLocation === '')) {
    throw badRequest('License assignment cannot be done for user with invalid usage location.');
  }
  const next = held.filter((l) => !removes.includes(l.skuId) && !adds.some((a) => a.skuId === l.skuId)).concat(adds);
  const updated: DirObject = { ...user, assignedLicenses: next.map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })) };
  ctx.rt.store.replace('user', updated);
  ctx.rt.store.touch('user', user.id, 'live');
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'users', undefined, true), ...project(ctx, 'user', updated) }, mutated: true };
}
