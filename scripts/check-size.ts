/**
 * Size budget check (docs/engineering.md): no hand-written function in src/ or tui/ longer
 * than 100 lines, no file longer than 500. Generated code and declarative data are exempt.
 * Usage: tsx scripts/check-size.ts [--max-fn 100] [--max-file 500]
 * Prints each offender and exits 1 when there is one.
 */
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MAX_FN = opt('--max-fn', 100);
const MAX_FILE = opt('--max-file', 500);
/** Files that are data or generated, not logic. */
const EXEMPT = [/\/generated\//, /-data\.ts$/, /\.data\.ts$/];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const offenders: string[] = [];
for (const file of [...walk('src', []), ...walk('tui', [])]) {
  if (EXEMPT.some((re) => re.test(file))) continue;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length;
  if (lines > MAX_FILE) offenders.push(`${file}: file ${lines} lines (max ${MAX_FILE})`);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const n = end - start + 1;
      if (n > MAX_FN) {
        const name = (node as ts.FunctionDeclaration).name?.getText() ?? '<anonymous>';
        offenders.push(`${file}:${start + 1}: function ${name} ${n} lines (max ${MAX_FN})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
for (const o of offenders) process.stdout.write(`${o}\n`);
process.stdout.write(`${offenders.length} over budget\n`);
process.exitCode = offenders.length > 0 ? 1 : 0;
