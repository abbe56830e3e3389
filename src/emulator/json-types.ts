/**
 * Write bodies are checked against Graph's v1.0 CSDL (src/catalog/generated/graph-v1.0.ts)
 * the way Graph's OData reader does: a value of the wrong JSON type, a single value where a
 * collection is declared (or the reverse), null for a non-nullable property, and an unknown
 * property inside a complex value are refused with 400 instead of being stored as sent
 * (issue 14: `mailEnabled: "yes"`, `displayName: 12345`, `groupTypes: "Unified"` were kept).
 * OData JSON format: https://learn.microsoft.com/graph/api/overview (JSON, OData v4 "JSON Format"
 * §7: Edm.Int64 and Edm.Decimal may be sent as strings); enum values are strings.
 *
 * An enum value must name members of its enum type (case-insensitively; a flags enum may name
 * several, comma-separated); types outside the generated subset are checked as strings only.
 */
import { graphEnums, graphTypes, type GeneratedEnum, type GeneratedProperty, type GeneratedType } from '../catalog/generated/graph-v1.0.js';
import type { Json } from '../model.js';
import { badRequest } from './graph-error.js';
import { checkDocumentedValues } from './documented-values.js';

const STRINGS = new Set(['Edm.String', 'Edm.Guid', 'Edm.DateTimeOffset', 'Edm.Date', 'Edm.TimeOfDay', 'Edm.Duration', 'Edm.Binary']);
const INTEGERS = new Set(['Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Byte', 'Edm.SByte']);
const NUMBERS = new Set(['Edm.Double', 'Edm.Single', 'Edm.Decimal']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** OData's durationValue (docs/graph-facts.md §5 "Write validation", S381): days, hours, minutes, seconds; at least one. */
const DURATION = /^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function literal(v: Json): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** ODL's ReaderValidationUtils_NullNamedValueForNonNullableType (docs/graph-facts.md §5 "Write validation", S72). */
function nullError(name: string, type: string): never {
  throw badRequest(`A null value was found for the property named '${name}', which has the expected type '${type}[Nullable=False]'. The expected type '${type}[Nullable=False]' does not allow null values.`, 'BadRequest');
}

function convertError(v: Json, type: string): never {
  throw badRequest(`Cannot convert the literal '${literal(v)}' to the expected type '${type}'.`, 'BadRequest');
}

/** The type a complex or entity value declares through `@odata.type`, if it derives from `base`. */
function actualType(base: GeneratedType, v: Record<string, Json>): GeneratedType {
  const t = v['@odata.type'];
  if (typeof t !== 'string') return base;
  const name = t.replace(/^#/, '');
  const derived = graphTypes[name];
  if (name === base.name) return base;
  if (!derived || !base.derivedTypes.includes(name)) {
    throw badRequest(`A type named '${name}' could not be resolved by the model, or is not derived from '${base.name}'.`, 'BadRequest');
  }
  return derived;
}

function checkValue(p: Pick<GeneratedProperty, 'name' | 'type' | 'nullable'>, v: Json): void {
  if (v === null) {
    if (!p.nullable) nullError(p.name, p.type);
    return;
  }
  const t = p.type;
  if (STRINGS.has(t)) {
    if (typeof v !== 'string') convertError(v, t);
    if (t === 'Edm.Guid' && !GUID.test(v)) convertError(v, t);
    if (t === 'Edm.DateTimeOffset' && Number.isNaN(Date.parse(v))) convertError(v, t);
    if (t === 'Edm.Duration' && !DURATION.test(v)) convertError(v, t);
    return;
  }
  if (t === 'Edm.Boolean') {
    if (typeof v !== 'boolean') convertError(v, t);
    return;
  }
  if (INTEGERS.has(t)) {
    const ok = (typeof v === 'number' && Number.isInteger(v)) || (t === 'Edm.Int64' && typeof v === 'string' && /^-?\d+$/.test(v));
    if (!ok) convertError(v, t);
    return;
  }
  if (NUMBERS.has(t)) {
    const ok = typeof v === 'number' || (typeof v === 'string' && (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v) || ['NaN', 'INF', '-INF'].includes(v)));
    if (!ok) convertError(v, t);
    return;
  }
  const en = graphEnums[t];
  if (en) return checkEnum(en, t, v);
  const complex = graphTypes[t];
  if (!complex) {
    // an enum (or a type outside the generated subset): Graph serialises enum members as strings
    if (t.startsWith('microsoft.graph.') && typeof v !== 'string') convertError(v, t);
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`A value of kind '${Array.isArray(v) ? 'Collection' : 'Primitive'}' was found for the property named '${p.name}', which has the expected type '${t}'.`, 'BadRequest');
  }
  checkStructured(actualType(complex, v), v, false);
}

/**
 * An enum value is a string naming a member (several, comma-separated, for a flags enum):
 * `state: "bogus"` on a CA policy is refused instead of stored (issue 14 item 1). Member names
 * compare case-insensitively — the emulator never refuses a spelling Graph might accept.
 */
function checkEnum(en: GeneratedEnum, t: string, v: Json): void {
  if (typeof v !== 'string') convertError(v, t);
  const names = new Set(en.members.map((m) => m.toLowerCase()));
  const given = en.flags ? v.split(',').map((x) => x.trim()) : [v];
  if (given.some((x) => !names.has(x.toLowerCase()))) convertError(v, t);
}

/** Checks every property of a structured value; `entity` bodies' unknown names are the caller's (catalog) business. */
function checkStructured(type: GeneratedType, body: Record<string, Json>, entity: boolean): void {
  const props = new Map(type.properties.map((p) => [p.name, p] as const));
  for (const [k, v] of Object.entries(body)) {
    if (k.includes('@')) continue;
    const p = props.get(k);
    if (!p) {
      if (entity || type.openType || type.navigationProperties.some((n) => n.name === k)) continue;
      throw badRequest(`The property '${k}' does not exist on type '${type.name}'. Make sure to only use property names that are defined by the type or mark the type as open type.`, 'BadRequest');
    }
    if (p.collection) {
      // OData collections are never null, nor are their items (S72)
      if (v === null) nullError(k, `Collection(${p.type})`);
      if (!Array.isArray(v)) {
        throw badRequest(`A value of kind 'Primitive' was found for the collection property named '${k}', which has the expected type 'Collection(${p.type})'.`, 'BadRequest');
      }
      for (const item of v) {
        if (item === null) throw badRequest(`A null value was found in a collection, but the expected collection item type '${p.type}' does not allow null values.`, 'BadRequest');
        checkValue({ name: k, type: p.type, nullable: false }, item);
      }
    } else {
      if (Array.isArray(v)) throw badRequest(`A value of kind 'Collection' was found for the property named '${k}', which has the expected type '${p.type}'.`, 'BadRequest');
      checkValue(p, v);
    }
  }
}

/**
 * Checks a POST or PATCH body of an entity of `entityType` (qualified name) against the CSDL,
 * and the values its Graph page closes the set of (./documented-values.ts).
 * Never checks property names at the top level: the catalog's declared set does that
 * (writes.ts checkProperties). An entity type outside the generated subset is not checked.
 * @throws GraphHttpError 400 BadRequest naming the property and the expected type
 */
export function checkJsonTypes(entityType: string, body: Record<string, Json>): void {
  checkDocumentedValues(entityType, body);
  const base = graphTypes[entityType];
  if (!base) return;
  checkStructured(actualType(base, body), body, true);
}

/**
 * Checks a PATCH body of an entity that is no catalog type (a PIM policy's rule) against the
 * CSDL, its top-level property names included: nothing else declares them.
 * @throws GraphHttpError 400 BadRequest naming the property and the expected type
 */
export function checkEntityBody(entityType: string, body: Record<string, Json>): void {
  const base = graphTypes[entityType];
  if (!base) return;
  // properties include the inherited ones (an expiration rule's id and target)
  checkStructured(actualType(base, body), body, false);
}
