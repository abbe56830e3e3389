/**
 * Extract Microsoft Graph v1.0 request/response examples from a git mirror of the Graph docs
 * (api-reference/v1.0/api/*.md; docs CC BY 4.0, code samples MIT — LICENSE and LICENSE-CODE of that
 * repository) into test/emulator/conformance/examples/<page>-<n>.json, one file per example.
 *
 * Usage: npx tsx scripts/extract-graph-examples.ts <git-dir> <repo-name>
 * Each file: source page + commit, method, url (path after /v1.0), request body, expected status,
 * expected response property set (top-level keys, or the keys of value[0] for a collection).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const PAGE = /^(user|group|application|serviceprincipal|directoryobject|directory-deleteditems|administrativeunit|domain|organization|oauth2permissiongrant|directoryrole|directoryroletemplate|subscribedsku|contract|orgcontact|device)-/;
const OUT = 'test/emulator/conformance/examples';

interface Block { kind: 'request' | 'response'; text: string }

function blocks(md: string): Block[] {
  const out: Block[] = [];
  const re = /<!--\s*(\{[\s\S]*?\})\s*-->\s*```[a-z]*\r?\n([\s\S]*?)```/g;
  for (let m = re.exec(md); m; m = re.exec(md)) {
    const kind = /"blockType"\s*:\s*"(request|response)"/.exec(m[1]!)?.[1];
    if (kind === 'request' || kind === 'response') out.push({ kind, text: m[2]! });
  }
  return out;
}

function jsonPart(text: string): unknown {
  const i = text.search(/^\s*[[{]/m);
  if (i < 0) return undefined;
  try {
    return JSON.parse(text.slice(i));
  } catch {
    return null;
  }
}

function props(body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const o = body as Record<string, unknown>;
  const v = Array.isArray(o.value) && o.value[0] && typeof o.value[0] === 'object' ? (o.value[0] as Record<string, unknown>) : o;
  return Object.keys(v).filter((k) => !k.startsWith('@') && !k.includes('@odata')).sort();
}

const [gitDir, repo] = process.argv.slice(2);
if (!gitDir || !repo) throw new Error('usage: extract-graph-examples.ts <git-dir> <repo-name>');
const git = (...a: string[]): string => execFileSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });
const commit = git('rev-parse', 'HEAD').trim();
mkdirSync(OUT, { recursive: true });
let n = 0;
for (const path of git('ls-tree', '--name-only', 'HEAD', 'api-reference/v1.0/api/').split('\n')) {
  const page = path.split('/').pop() ?? '';
  if (!PAGE.test(page) || !page.endsWith('.md')) continue;
  const bs = blocks(git('show', `HEAD:${path}`));
  let k = 0;
  for (let i = 0; i + 1 < bs.length; i++) {
    const [req, res] = [bs[i]!, bs[i + 1]!];
    if (req.kind !== 'request' || res.kind !== 'response') continue;
    const line = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)/m.exec(req.text);
    const status = /HTTP\/1\.1\s+(\d{3})/.exec(res.text)?.[1];
    if (!line || !status) continue;
    const url = line[2]!.replace(/^https:\/\/graph\.microsoft\.com\/v1\.0/, '');
    if (!url.startsWith('/') || url.startsWith('/me')) continue;
    const body = line[1] === 'GET' || line[1] === 'DELETE' ? undefined : jsonPart(req.text);
    const name = `${page.replace(/\.md$/, '')}-${++k}`;
    const example = { name, source: { repo, path, commit }, method: line[1], url, requestBody: body ?? null, status: Number(status), properties: props(jsonPart(res.text)) };
    writeFileSync(`${OUT}/${name}.json`, JSON.stringify(example, null, 2) + '\n');
    n++;
  }
}
process.stdout.write(`${n} examples written to ${OUT}\n`);
