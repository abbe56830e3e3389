/**
 * Values of directory extensions (`extension_{appId}_{name}`) in a write body. Graph accepts one
 * only when an extensionProperty of that name is registered for the object's type
 * (`targetObjects`), and the value must fit the extension's `dataType` and `isMultiValued`
 * ("Add custom data to resources using extensions", docs/graph-facts.md §3 "Directory
 * extension values", S73). An unregistered name is refused the way any undeclared property is.
 */
import type { ResourceType } from '../catalog/types.js';
import type { Json } from '../model.js';
import { badRequest } from './graph-error.js';
import type { TenantStore } from './store.js';

/** The `targetObjects` name of each type that can carry extension values. */
const TARGET: Partial<Record<ResourceType, string>> = {
  user: 'User', group: 'Group', application: 'Application', administrativeUnit: 'AdministrativeUnit', organization: 'Organization',
};

/** dataType → the Edm type its values must have (extensionProperty resource, "dataType"). */
const EDM: Record<string, string> = {
  Binary: 'Edm.Binary', Boolean: 'Edm.Boolean', DateTime: 'Edm.DateTimeOffset', Integer: 'Edm.Int32', LargeInteger: 'Edm.Int64', String: 'Edm.String',
};

function fits(edm: string, v: Json): boolean {
  switch (edm) {
    case 'Edm.Boolean':
      return typeof v === 'boolean';
    case 'Edm.Int32':
      return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 31;
    case 'Edm.Int64':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v));
    case 'Edm.DateTimeOffset':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    default:
      return typeof v === 'string';
  }
}

/**
 * @throws GraphHttpError 400 Request_BadRequest for an extension not registered for `type`,
 * 400 BadRequest for a value of the wrong kind (a list for a single-valued extension, or the reverse).
 */
export function checkExtensionValue(store: TenantStore, type: ResourceType, key: string, value: Json): void {
  const target = TARGET[type];
  const ext = target
    ? [...(store.live.get('extensionProperty')?.values() ?? [])].find(
        (e) => String(e.name).toLowerCase() === key.toLowerCase() && Array.isArray(e.targetObjects) && e.targetObjects.includes(target),
      )
    : undefined;
  if (!ext) throw badRequest(`Property '${key}' does not exist as a declared property or extension property.`);
  if (value === null) return;
  const edm = EDM[String(ext.dataType)] ?? 'Edm.String';
  const multi = ext.isMultiValued === true;
  const expected = multi ? `Collection(${edm})` : edm;
  const items = multi ? (Array.isArray(value) ? value : undefined) : Array.isArray(value) ? undefined : [value];
  if (!items || !items.every((x) => fits(edm, x))) {
    const literal = typeof value === 'string' ? value : JSON.stringify(value);
    throw badRequest(`Cannot convert the literal '${literal.slice(0, 60)}' to the expected type '${expected}'.`, 'BadRequest');
  }
}
