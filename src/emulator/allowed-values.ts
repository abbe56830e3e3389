/**
 * Custom security attribute predefined values (issue 15 item 10), as Graph v1.0 serves them
 * (docs/graph-facts.md §3 "Sponsors and custom security attribute predefined values", S196–S197):
 * - An allowedValue's id is the value itself ("Alpine"), up to 64 characters, set on create and
 *   never changed; at most 100 per definition; it cannot be deleted, only deactivated
 *   (`isActive` false, PATCH) (S196).
 * - They are a navigation of their definition, returned only with `$expand=allowedValues`, and
 *   written under it (`POST …/{id}/allowedValues`) or inline in the definition's create body
 *   (S197). Two definitions may hold the same value id, so the emulator keeps them with their
 *   definition (`@em.allowedValues`), never as objects of their own in the tenant-wide id space.
 * - A definition with `usePreDefinedValuesOnly` accepts on a user or service principal only its
 *   active predefined values (S196).
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, forbidden, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl } from './odata/listing.js';

/** Where the emulator keeps a definition's predefined values. */
export const ALLOWED_VALUES = '@em.allowedValues';
/** Graph's documented limits (S196). */
export const MAX_ALLOWED_VALUES = 100;
const MAX_ID = 64;

interface AllowedValue { id: string; isActive: boolean }

const DEFINITION = 'customSecurityAttributeDefinition' as const;

function valuesOf(def: DirObject): AllowedValue[] {
  const v = def[ALLOWED_VALUES];
  return Array.isArray(v) ? (v as unknown as AllowedValue[]) : [];
}

function isRecord(v: Json | undefined): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates one allowedValue body (create); @throws GraphHttpError 400. */
function parseValue(raw: Json | undefined, existing: readonly AllowedValue[]): AllowedValue {
  if (!isRecord(raw)) throw badRequest('An allowedValue must be a JSON object.');
  for (const k of Object.keys(raw)) {
    if (k !== 'id' && k !== 'isActive' && k !== '@odata.type') throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
  }
  const { id, isActive } = raw;
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_ID) throw badRequest(`The allowedValue id is required and can be up to ${MAX_ID} characters long.`);
  if (typeof isActive !== 'boolean') throw badRequest("Property 'isActive' is required and must be a Boolean.");
  if (existing.some((v) => v.id === id)) throw new GraphHttpError(409, 'Request_BadRequest', `The predefined value '${id}' already exists.`);
  if (existing.length >= MAX_ALLOWED_VALUES) throw badRequest(`A custom security attribute can have at most ${MAX_ALLOWED_VALUES} predefined values.`);
  return { id, isActive };
}

/**
 * Takes `allowedValues` out of a definition's create body (Graph accepts them inline, S197)
 * and returns them validated, to be kept once the definition exists.
 * @throws GraphHttpError 400 for a malformed, duplicate or 101st value.
 */
export function takeInlineAllowedValues(body: Record<string, Json>): AllowedValue[] {
  const raw = body.allowedValues;
  delete body.allowedValues;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest("Property 'allowedValues' must be a collection.");
  const out: AllowedValue[] = [];
  for (const x of raw) out.push(parseValue(x, out));
  return out;
}

/** Keeps validated values with a definition just created. */
export function keepAllowedValues(def: DirObject, values: readonly AllowedValue[]): void {
  if (values.length > 0) def[ALLOWED_VALUES] = values.map((v) => ({ ...v })) as unknown as Json;
}

/** @throws GraphHttpError 400: a definition's PATCH does not write its predefined values (S196). */
export function refuseAllowedValuesPatch(body: Record<string, Json>): void {
  if ('allowedValues' in body) throw badRequest("Property 'allowedValues' cannot be updated on the definition; use the allowedValues navigation.");
}

/** The values as `$expand=allowedValues` returns them (expand.ts). */
export function expandAllowedValues(def: DirObject): Array<Record<string, Json>> {
  return valuesOf(def).map((v) => ({ id: v.id, isActive: v.isActive }));
}

/** `GET|POST /directory/customSecurityAttributeDefinitions/{id}/allowedValues[/{valueId}]`. */
export function allowedValuesRoute(ctx: Ctx, def: DirObject, rest: readonly string[]): Answer {
  const d = ctx.reg.descriptor(DEFINITION);
  const values = valuesOf(def);
  const set = `directory/customSecurityAttributeDefinitions('${def.id}')/allowedValues`;
  if (rest.length === 0) {
    if (ctx.method === 'GET') {
      requirePermission(ctx.caller, d, false);
      for (const k of ctx.query.keys()) if (k !== '$select') throw badRequest(`Query option '${k}' is not supported on allowedValues.`);
      return { status: 200, body: { '@odata.context': contextUrl(ctx, set), value: expandAllowedValues(def) } };
    }
    if (ctx.method === 'POST') {
      requirePermission(ctx.caller, d, true);
      const v = parseValue(ctx.body as Json, values);
      def[ALLOWED_VALUES] = [...values, v] as unknown as Json;
      return { status: 201, body: { '@odata.context': contextUrl(ctx, set, undefined, true), ...v }, mutated: true };
    }
    throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this collection.`);
  }
  if (rest.length !== 1) throw badRequest(`Resource not found for the segment '${rest[1]!}'.`, 'BadRequest');
  const v = values.find((x) => x.id === decodeURIComponent(rest[0]!));
  if (!v) throw notFound(rest[0]!);
  if (ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, set, undefined, true), id: v.id, isActive: v.isActive } };
  }
  if (ctx.method === 'PATCH') {
    requirePermission(ctx.caller, d, true);
    const body = ctx.body as Json;
    if (!isRecord(body)) throw badRequest('Empty Payload. JSON content expected.');
    for (const k of Object.keys(body)) {
      if (k === 'id') throw badRequest("Property 'id' is read-only and cannot be set.");
      if (k !== 'isActive') throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
    }
    if (typeof body.isActive !== 'boolean') throw badRequest("Property 'isActive' must be a Boolean.");
    v.isActive = body.isActive;
    return { status: 204, mutated: true };
  }
  // "The allowedValue object can't be renamed or deleted" (S196)
  throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this resource.`);
}

/**
 * The custom security attribute values of a user or service principal write: the caller needs
 * CustomSecAttributeAssignment.ReadWrite.All, which Directory.* does not include ("Assign,
 * update, list, or remove custom security attributes using the Microsoft Graph API",
 * https://learn.microsoft.com/graph/custom-security-attributes-examples); a definition with
 * `usePreDefinedValuesOnly` takes only its active predefined values (S196).
 * @throws GraphHttpError 403 without the permission, 400 for a value not predefined.
 */
export function checkCustomSecurityAttributeValues(ctx: Ctx, body: Record<string, Json>): void {
  if (!('customSecurityAttributes' in body)) return;
  if (!ctx.caller.roles.has('CustomSecAttributeAssignment.ReadWrite.All')) throw forbidden();
  const sets = body.customSecurityAttributes;
  if (!isRecord(sets)) return;
  for (const [set, attrs] of Object.entries(sets)) {
    if (!isRecord(attrs)) continue;
    for (const [name, value] of Object.entries(attrs)) {
      if (name.includes('@') || value === null) continue;
      const def = ctx.rt.store.get(DEFINITION, `${set}_${name}`);
      if (!def || def.usePreDefinedValuesOnly !== true) continue;
      const active = new Set(valuesOf(def).filter((v) => v.isActive).map((v) => v.id));
      for (const x of Array.isArray(value) ? value : [value]) {
        if (typeof x === 'string' && !active.has(x)) throw badRequest(`The value '${x}' is not a predefined value of the custom security attribute '${set}_${name}'.`);
      }
    }
  }
}
