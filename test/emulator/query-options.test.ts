/**
 * Issue 14: no query option is ever silently ignored. The emulator answers the options it
 * implements and refuses every other one with a 400 (src/emulator/odata/options.ts), as Graph
 * does for sorting it cannot do ("Sorting not supported for current query.",
 * Request_UnsupportedQuery) — https://learn.microsoft.com/graph/query-parameters — and for
 * `$search` without `ConsistencyLevel: eventual` — https://learn.microsoft.com/graph/search-query-parameter.
 * Before, `$orderby` and `$search` answered 200 with unsorted, unfiltered data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

describe('query options the emulator does not implement are refused, never ignored', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 8, users: 10 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('$orderby and $search answer 400 Request_UnsupportedQuery, with or without ConsistencyLevel', async () => {
    for (const q of ['/users?$orderby=displayName', '/groups?$orderby=displayName desc', '/users?$search="displayName:ad"']) {
      for (const headers of [undefined, { ConsistencyLevel: 'eventual' }]) {
        const r = await L.reader('GET', q, undefined, headers);
        expect(r.status, q).toBe(400);
        expect(errorCode(r)).toBe('Request_UnsupportedQuery');
      }
    }
  });

  it('unknown $ options, options without their $ prefix and repeated options answer 400', async () => {
    for (const q of ['/users?$format=json', '/users?$levels=2', '/users?$apply=groupby((displayName))', '/users?select=id', '/users?top=1', '/users?filter=id eq \'x\'', '/users?$top=1&$top=2']) {
      const r = await L.reader('GET', q);
      expect(r.status, q).toBe(400);
      expect(errorCode(r)).toBe('BadRequest');
    }
  });

  it('the options it implements still answer, and inside $batch the same rule holds', async () => {
    const ok = await L.reader('GET', '/users?$select=id&$top=2&$filter=accountEnabled eq true');
    expect(ok.status).toBe(200);
    const batch = await L.reader('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users?$orderby=displayName' }, { id: '2', method: 'GET', url: '/users?$top=1' }] });
    expect(batch.status).toBe(200);
    const statuses = (batch.json.responses as Array<{ id: string; status: number }>).sort((a, b) => a.id.localeCompare(b.id)).map((r) => r.status);
    expect(statuses).toEqual([400, 200]);
  });
});
