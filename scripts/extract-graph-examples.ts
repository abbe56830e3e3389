/**
 * Extract Microsoft Graph v1.0 request/response examples from the Graph docs
 * (api-reference/v1.0/api/*.md; docs CC BY 4.0, code samples MIT — LICENSE and LICENSE-CODE of that
 * repository) into test/emulator/conformance/examples/<page>-<n>.json, one file per example.
 *
 * Git mode:       npx tsx scripts/extract-graph-examples.ts <git-dir> <repo-name>
 *   reads HEAD of a git mirror, pages whose name matches PAGE, annotated blocks only.
 * Directory mode: npx tsx scripts/extract-graph-examples.ts --dir <dir> --repo <owner/name>
 *   reads the pages listed in <dir>/manifest.json ({ "api-reference/v1.0/api/<page>.md": "<commit>" },
 *   each page saved under <dir> at that path), every page of the manifest (see dirMode below).
 * Each file: source page + commit, method, url (path after /v1.0), request body, expected status,
 * expected response property set (top-level keys, or the keys of value[0] for a collection).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

function gitMode(gitDir: string | undefined, repo: string | undefined): void {
  if (!gitDir || !repo) throw new Error('usage: extract-graph-examples.ts <git-dir> <repo-name> | --dir <dir> --repo <owner/name>');
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
}

/**
 * Directory mode. Pages of the current docs are not all annotated the same way: some example blocks
 * carry no `blockType` annotation, some are annotated `ignored`, some fences are written ``` http.
 * So every fenced block is classified by its content: a request starts with `METHOD https://…`, a
 * response with `HTTP/1.1 NNN`; a request pairs with the next response before the next request.
 * An example is numbered by its position among the page's request/response pairs (skipped ones
 * included), so `<page>-2` is the page's second example. Skipped, and reported: a URL that is not
 * https://graph.microsoft.com/v1.0 (beta-only), a `/me` path or a self-service `action` (`selfActivate`,
 * `selfDeactivate`…: delegated sign-in of a specific user), a request line without a usable
 * method/path. JSON that does not parse as written (trailing commas, line breaks inside strings,
 * `//` comments, a missing comma between members) is repaired and reported; the file keeps the
 * repaired value.
 * A page whose name already has examples from another source repository is skipped and reported
 * unless named in `--replace <page,page>`; this repository's earlier files of a page are rewritten.
 */
interface DirBlock { kind: 'request' | 'response' | 'bad-request'; text: string }

function dirBlocks(md: string): DirBlock[] {
  const out: DirBlock[] = [];
  const re = /^[ \t]*(`{3,})[^\n]*\r?\n([\s\S]*?)^[ \t]*\1[ \t]*\r?$/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) {
    const text = m[2]!.replace(/^\s*\n/, '');
    const first = text.split('\n', 1)[0]!.trim();
    const before = md.slice(Math.max(0, m.index - 400), m.index);
    const annotated = /"blockType"\s*:\s*"request"[^>]*-->\s*$/.test(before);
    if (/^(GET|POST|PATCH|PUT|DELETE)\s+https?:\/\//.test(first)) out.push({ kind: 'request', text });
    else if (/^HTTP\/1\.1\s+\d{3}/.test(first)) out.push({ kind: 'response', text });
    else if (annotated) out.push({ kind: 'bad-request', text });
  }
  return out;
}

/** JSON.parse, else the same text with the usual slips of hand-written examples repaired. */
function lenientJson(text: string): { value: unknown; repaired?: string } {
  const i = text.search(/^\s*[[{]/m);
  if (i < 0) return { value: undefined };
  const raw = text.slice(i).trim();
  try {
    return { value: JSON.parse(raw) };
  } catch {
    // line breaks inside a string literal become \n; // comments outside strings go; trailing commas go
    let inStr = false;
    let fixed = '';
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j]!;
      if (inStr) {
        if (c === '\\') { fixed += c + (raw[j + 1] ?? ''); j++; continue; }
        if (c === '"') inStr = false;
        fixed += c === '\n' ? '\\n' : c === '\r' ? '' : c;
      } else if (c === '/' && raw[j + 1] === '/') {
        while (j < raw.length && raw[j] !== '\n') j++;
        fixed += '\n';
      } else {
        if (c === '"') inStr = true;
        fixed += c;
      }
    }
    fixed = fixed.replace(/,(\s*[}\]])/g, '$1');
    try {
      return { value: JSON.parse(fixed), repaired: 'trailing commas, line breaks in strings or comments removed' };
    } catch {
      // a value at the end of a line followed by a key on the next: the comma between them is missing
      fixed = fixed.replace(/("|\d|true|false|null|\}|\])([ \t]*\r?\n\s*")/g, '$1,$2');
    }
    try {
      return { value: JSON.parse(fixed), repaired: 'missing commas between members inserted' };
    } catch (e) {
      return { value: null, repaired: `not JSON (${(e as Error).message}): kept as null` };
    }
  }
}

function dirMode(dir: string, repo: string, replace: Set<string>): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>;
  mkdirSync(OUT, { recursive: true });
  const existing = new Map<string, string[]>();
  for (const f of readdirSync(OUT)) {
    const src = (JSON.parse(readFileSync(join(OUT, f), 'utf8')) as { source: { repo: string } }).source.repo;
    const page = f.replace(/-\d+\.json$/, '');
    existing.set(page, [...(existing.get(page) ?? []), `${f}\t${src}`]);
  }
  const report: string[] = [];
  let n = 0;
  for (const path of Object.keys(manifest).sort()) {
    const page = (path.split('/').pop() ?? '').replace(/\.md$/, '');
    if (!path.startsWith('api-reference/v1.0/api/') || !path.endsWith('.md')) { report.push(`${path}: not a v1.0 API page, skipped`); continue; }
    const mine = existing.get(page) ?? [];
    const others = mine.filter((e) => !e.endsWith(`\t${repo}`));
    if (others.length && !replace.has(page)) { report.push(`${page}: examples from ${others[0]!.split('\t')[1]} exist, page skipped (--replace ${page} to replace them)`); continue; }
    for (const e of mine) unlinkSync(join(OUT, e.split('\t')[0]!));
    if (!existsSync(join(dir, path))) { report.push(`${path}: listed in the manifest but not saved, skipped`); continue; }
    const bs = dirBlocks(readFileSync(join(dir, path), 'utf8'));
    let k = 0;
    for (let i = 0; i < bs.length; i++) {
      const req = bs[i]!;
      if (req.kind === 'bad-request') { report.push(`${page}: a request block without a usable method/path, skipped`); continue; }
      if (req.kind !== 'request') continue;
      const res = bs[i + 1]?.kind === 'response' ? bs[++i]! : undefined;
      const name = `${page}-${++k}`;
      const line = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S.*?)\s*$/m.exec(req.text)!;
      const status = res && /^HTTP\/1\.1\s+(\d{3})/.exec(res.text)?.[1];
      if (!status) { report.push(`${name}: no documented response, skipped`); continue; }
      if (!line[2]!.startsWith('https://graph.microsoft.com/v1.0/')) { report.push(`${name}: ${line[2]} is not v1.0 (beta-only), skipped`); continue; }
      const url = line[2]!.replace(/^https:\/\/graph\.microsoft\.com\/v1\.0/, '');
      if (/^\/me([/?]|$)/.test(url)) { report.push(`${name}: ${url} needs a signed-in user (/me), skipped`); continue; }
      const parsed = line[1] === 'GET' || line[1] === 'DELETE' ? { value: undefined } : lenientJson(req.text.slice(req.text.indexOf('\n') + 1));
      const action = (parsed.value as { action?: unknown } | undefined)?.action;
      if (typeof action === 'string' && /^self/i.test(action)) { report.push(`${name}: action ${action} is self-service (delegated sign-in), skipped`); continue; }
      const resBody = Number(status) === 204 ? { value: undefined } : lenientJson(res!.text.slice(res!.text.indexOf('\n') + 1));
      if (parsed.repaired) report.push(`${name}: request body ${parsed.repaired}`);
      if (resBody.repaired) report.push(`${name}: response body ${resBody.repaired}`);
      const example = { name, source: { repo, path, commit: manifest[path]! }, method: line[1], url, requestBody: parsed.value ?? null, status: Number(status), properties: props(resBody.value) };
      writeFileSync(`${OUT}/${name}.json`, JSON.stringify(example, null, 2) + '\n');
      n++;
    }
  }
  process.stdout.write(`${report.map((r) => `  ${r}\n`).join('')}${n} examples written to ${OUT}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--dir') {
  const opt = (k: string): string | undefined => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
  const dir = opt('--dir');
  const repo = opt('--repo');
  if (!dir || !repo) throw new Error('usage: extract-graph-examples.ts --dir <dir> --repo <owner/name> [--replace <page,page>]');
  dirMode(dir, repo, new Set((opt('--replace') ?? '').split(',').filter(Boolean)));
} else gitMode(argv[0], argv[1]);
