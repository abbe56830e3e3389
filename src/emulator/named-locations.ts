/**
 * An IP named location's ranges, as Graph's pages state them: `ipRanges` is "List of IP address
 * ranges in IPv4 CIDR format (for example, 1.2.3.4/32) or any allowable IPv6 format from IETF
 * RFC5969. Required." (https://learn.microsoft.com/graph/api/resources/ipnamedlocation), each an
 * `iPv4CidrRange` or `iPv6CidrRange` whose `cidrAddress` is "IPv4 address in CIDR notation. Not
 * nullable." / "IPv6 address in CIDR notation. Not nullable."
 * (https://learn.microsoft.com/graph/api/resources/iPv4CidrRange, …/iPv6CidrRange). A range without
 * its address, or with one that is not CIDR of its family, is refused (400) rather than stored:
 * a client that loses the address on the way (the Kiota SDK's nested derived values,
 * test/emulator/conformance/kiota-policies.test.ts) finds out here as it would against Graph.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isJsonObject } from '../json.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest } from './graph-error.js';
import type { CreateContext } from './writes.js';

const V4 = '#microsoft.graph.iPv4CidrRange';
const V6 = '#microsoft.graph.iPv6CidrRange';

/** `address/prefix` of the family: an IPv4 address and a prefix 0–32, or an IPv6 one and 0–128. */
function isCidr(v: Json | undefined, family: 4 | 6): boolean {
  if (typeof v !== 'string') return false;
  const [addr, prefix, more] = v.split('/');
  if (addr === undefined || prefix === undefined || more !== undefined || !/^\d{1,3}$/.test(prefix)) return false;
  return family === 4 ? isIPv4(addr) && Number(prefix) <= 32 : isIPv6(addr) && Number(prefix) <= 128;
}

/**
 * Checks an IP named location's `ipRanges` (the whole object after a create or PATCH); a country
 * location is not concerned.
 * @throws GraphHttpError 400 naming the range
 */
export function checkIpRanges(o: DirObject): void {
  if (o['@odata.type'] !== '#microsoft.graph.ipNamedLocation') return;
  const ranges = o['ipRanges'];
  if (!Array.isArray(ranges) || ranges.length === 0) throw badRequest('An IP named location needs its ipRanges: at least one IPv4 or IPv6 range in CIDR notation.');
  for (const r of ranges) {
    const t = isJsonObject(r) ? r['@odata.type'] : undefined;
    const addr = isJsonObject(r) ? r['cidrAddress'] : undefined;
    if (t !== V4 && t !== V6) throw badRequest(`Each of ipRanges needs '@odata.type' ${V4} or ${V6}.`);
    if (!isCidr(addr, t === V4 ? 4 : 6)) throw badRequest(`'${String(addr)}' is not an ${t === V4 ? 'IPv4' : 'IPv6'} address in CIDR notation (ipRanges.cidrAddress).`);
  }
}

/** A named location's create: one of the two derived types, IP ranges checked, modifiedDateTime set. @throws GraphHttpError 400 */
export function prepareNamedLocation(_ctx: Ctx, o: DirObject, c: CreateContext): void {
  const t = o['@odata.type'];
  if (t !== '#microsoft.graph.ipNamedLocation' && t !== '#microsoft.graph.countryNamedLocation') {
    throw badRequest("A named location needs '@odata.type' #microsoft.graph.ipNamedLocation or #microsoft.graph.countryNamedLocation.");
  }
  checkIpRanges(o);
  o.modifiedDateTime = c.now;
}
