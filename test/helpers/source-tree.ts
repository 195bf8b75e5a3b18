import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// The server tree as the TypeScript compiler reads it, for the tests that check its shape
// (test/unit/import-circles.test.ts, test/unit/service-contract.test.ts).

export const SERVER = path.resolve(__dirname, '../../server');

export function sourceFiles(dir: string = SERVER): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

export const parseSource = (file: string) =>
  ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

/** Every relative import or re-export of a file (type-only and side-effect ones included), resolved to its .ts. */
export function importsOf(file: string, source: ts.SourceFile = parseSource(file)): string[] {
  const deps: string[] = [];
  for (const st of source.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st))) continue;
    const spec = st.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec.text);
    const target = [base, `${base}.ts`, path.join(base, 'index.ts')].find((p) => p.endsWith('.ts') && fs.existsSync(p));
    if (target) deps.push(target);
  }
  return deps;
}

/** A path relative to server/, with forward slashes. */
export const relative = (p: string) => path.relative(SERVER, p).split(path.sep).join('/');
