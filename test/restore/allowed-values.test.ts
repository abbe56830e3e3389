/**
 * The update of an existing custom security attribute definition writes its predefined values
 * one by one (src/restore/execute/allowed-values.ts, docs/graph-facts.md S196): a missing value is
 * POSTed, a value whose isActive differs is PATCHed, the definition's PATCH never carries them,
 * and a second run writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { writeAllowedValues } from '../../src/restore/execute/allowed-values.js';
import type { Ctx } from '../../src/restore/execute/context.js';
import type { Json } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { systemClock } from '../../src/clock.js';

const DEF = '/directory/customSecurityAttributeDefinitions/HumanResources_Clearance';

function fakeCtx(live: Array<{ id: string; isActive: boolean }>): { ctx: Ctx; calls: string[] } {
  const calls: string[] = [];
  const graph = {
    get: async (path: string) => {
      calls.push(`GET ${path}`);
      return { value: live.map((v) => ({ ...v })) };
    },
    post: async (path: string, body: { id: string; isActive: boolean }) => {
      calls.push(`POST ${path} ${JSON.stringify(body)}`);
      live.push({ ...body });
      return body;
    },
    patch: async (path: string, body: { isActive: boolean }) => {
      calls.push(`PATCH ${path} ${JSON.stringify(body)}`);
      const id = decodeURIComponent(path.split('/').pop()!);
      live.find((v) => v.id === id)!.isActive = body.isActive;
    },
  };
  const ctx = { graph, opts: { clock: systemClock, reporter: silentReporter } } as unknown as Ctx;
  return { ctx, calls };
}

describe('predefined values of an existing definition', () => {
  it('adds the missing, re-(de)activates the differing, then writes nothing', async () => {
    const live = [{ id: 'Internal', isActive: true }, { id: 'Secret', isActive: true }];
    const { ctx, calls } = fakeCtx(live);
    const archived: Json = [{ id: 'Internal', isActive: true }, { id: 'Secret', isActive: false }, { id: 'Top Secret', isActive: true }];
    expect((await writeAllowedValues(ctx, DEF, archived)).outcome).toBe('updated');
    expect(calls).toEqual([
      `GET ${DEF}/allowedValues`,
      `PATCH ${DEF}/allowedValues/Secret {"isActive":false}`,
      `POST ${DEF}/allowedValues {"id":"Top Secret","isActive":true}`,
    ]);
    calls.length = 0;
    expect((await writeAllowedValues(ctx, DEF, archived)).outcome).toBe('alreadyPresent');
    expect(calls).toEqual([`GET ${DEF}/allowedValues`]);
    expect((await writeAllowedValues(ctx, DEF, undefined)).outcome).toBe('alreadyPresent');
  });
});
