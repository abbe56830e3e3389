/** The verify's users read back, held slim and compact (src/restore/compact-users.ts). */
import { describe, expect, it } from 'vitest';
import { CompactUsers } from '../../src/restore/compact-users.js';
import { slimUser } from '../../src/restore/plan/release.js';
import type { DirObject } from '../../src/model.js';

function user(i: number): DirObject {
  return {
    id: `u-${i}`, '@odata.type': '#microsoft.graph.user', displayName: `User ${i}`, userPrincipalName: `user${i}@contoso.com`, jobTitle: `Title ${i}`,
    accountEnabled: true, assignedLicenses: [], onPremisesImmutableId: i % 2 ? `anchor${i}` : null, businessPhones: ['+1 555 0100'],
  } as DirObject;
}

describe('CompactUsers', () => {
  it('holds a slim copy whose JSON and keys are slimUser\'s, and gives each user back whole with the slim copy\'s id', () => {
    const users = new CompactUsers();
    const whole = Array.from({ length: 40 }, (_, i) => user(i));
    const slim = whole.map((u) => users.hold(JSON.parse(JSON.stringify(u)) as DirObject));
    expect(users.size).toBe(40);
    for (let i = 0; i < whole.length; i++) {
      const s = slim[i] as DirObject;
      expect(JSON.stringify(s)).toBe(JSON.stringify(slimUser(whole[i] as DirObject)));
      expect(Object.keys(s)).toEqual(Object.keys(slimUser(whole[i] as DirObject)));
      expect(s['jobTitle']).toBeUndefined();
      const back = users.whole(s);
      expect(back).toEqual(whole[i]);
      expect(back.id).toBe(s.id);
      expect(back).not.toBe(users.whole(s));
    }
    // an object it did not hold is given back as it is
    const other = user(99);
    expect(users.whole(other)).toBe(other);
    // a spread copy of a slim one is a plain slim object, no longer tied to the whole one
    expect(users.whole({ ...(slim[0] as DirObject) })).toEqual(slim[0]);
  });
});

describe('CompactUsers.release', () => {
  it('lets go of the whole copies: a slim copy asked for whole afterwards is a bug, another object still comes back as it is', () => {
    const users = new CompactUsers();
    const slim = Array.from({ length: 20 }, (_, i) => users.hold(user(i)));
    expect(users.bytes).toBeGreaterThan(0);
    users.release();
    users.release();
    expect(users.bytes).toBe(0);
    expect(() => users.whole(slim[3] as DirObject)).toThrow(/after release/);
    const other = user(5);
    expect(users.whole(other)).toBe(other);
  });
});
