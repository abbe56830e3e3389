/**
 * Child of credentials-heap.test.ts: adds credentials to an encrypted sink, waits until they are
 * durable, collects garbage, and reports (to stdout, as JSON) whether any password is still on
 * this process's heap, looked for in a V8 heap snapshot. It then closes the sink and checks again.
 * The passwords are made at run time from random bytes, so no source text or constant holds them.
 * Run with --expose-gc.
 */
import { randomBytes } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { createEncryptedCredentialsFile } from '../../src/restore/credentials.js';

const [path] = process.argv.slice(2) as [string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const tag = randomBytes(9).toString('hex');
/** The i-th password: built when needed, never kept by this script. */
const password = (i: number): string => `Pw-${tag}-${i}`;

async function onHeap(): Promise<number> {
  gc!();
  let text = '';
  for await (const chunk of getHeapSnapshot()) text += String(chunk);
  let found = 0;
  for (let i = 0; i < 20; i++) if (text.includes(password(i))) found++;
  return found;
}

const sink = await createEncryptedCredentialsFile(path, await identityToRecipient(await generateX25519Identity()));
for (let i = 0; i < 20; i++) await sink.add({ userPrincipalName: `u${i}@contoso.example`, temporaryPassword: password(i) });
const durable = await onHeap();
const count = sink.count();
await sink.close();
const closed = await onHeap();
process.stdout.write(JSON.stringify({ durable, closed, count }));
