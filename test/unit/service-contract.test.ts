import ts from 'typescript';
import { importsOf, parseSource, relative, sourceFiles } from '../helpers/source-tree';

// The service contract (README "Layout", STYLE.md "One service contract"), read from the source with the
// TypeScript compiler API:
// (a) a repository belongs to its folder: no file outside server/X/ imports server/X/*.repository.ts;
// (b) pages, routes and views import no repository at all (not even its types: they never see row types);
// (c) every exported function of a *.service.ts takes `ctx: AppContext` first; the one exception is a step of
//     another use case's transaction, which takes that transaction, `trx: Trx`, first (createListingSeal inside
//     publishing, rulesWithin inside an opening): it cannot open its own, and must not read outside it;
// (d) no service maps to API JSON or a view model (`*ToJson`, `*View`): that lives beside the routes and pages.

const folderOf = (p: string) => relative(p).split('/').slice(0, -1).join('/');

interface ExportedFunction {
  name: string;
  params: readonly ts.ParameterDeclaration[];
}

/** `export function f(…)` and `export const f = (…) => …` / `= function (…)` */
function exportedFunctions(source: ts.SourceFile): ExportedFunction[] {
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const found: ExportedFunction[] = [];
  for (const st of source.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && exported(st))
      found.push({ name: st.name.text, params: st.parameters });
    if (ts.isVariableStatement(st) && exported(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          found.push({ name: d.name.text, params: init.parameters });
      }
    }
  }
  return found;
}

// Still to move, exactly these (as in import-circles.test.ts: a new one fails, and so does one that is gone but
// still listed). Each entry is `file → repository` for (a) and (b), `file: function` for (c) and (d).
const KNOWN = {
  outsiders: [] as string[],
  edge: [] as string[],
  noContext: [] as string[],
  mappers: [] as string[],
};

const files = sourceFiles().map((file) => ({ file, source: parseSource(file) }));
const isRepository = (p: string) => p.endsWith('.repository.ts');

describe('the service contract', () => {
  it('reads the whole server tree', () => {
    expect(files.length).toBeGreaterThan(100);
    const services = files.filter((f) => f.file.endsWith('.service.ts'));
    expect(services.length).toBeGreaterThan(20);
    // known facts, so a broken reader cannot pass by finding nothing
    const listings = files.find((f) => relative(f.file) === 'listings/listings.service.ts')!;
    expect(importsOf(listings.file, listings.source).map(relative)).toContain('listings/listings.repository.ts');
    expect(exportedFunctions(listings.source).map((f) => f.name)).toContain('publishListing');
  });

  it('(a) a repository is imported only from its own folder', () => {
    const outsiders = files.flatMap(({ file, source }) =>
      importsOf(file, source)
        .filter((t) => isRepository(t) && folderOf(t) !== folderOf(file))
        .map((t) => `${relative(file)} → ${relative(t)}`),
    );
    expect(outsiders.sort()).toEqual(KNOWN.outsiders);
  });

  it('(b) pages, routes and views import no repository', () => {
    const edge = /\.(pages|routes|view)\.ts$/;
    const found = files
      .filter(({ file }) => edge.test(file))
      .flatMap(({ file, source }) =>
        importsOf(file, source)
          .filter(isRepository)
          .map((t) => `${relative(file)} → ${relative(t)}`),
      );
    expect(found.sort()).toEqual(KNOWN.edge);
  });

  /** `file: function` for every exported function of a service that `bad` picks */
  const servicesWhere = (bad: (f: ExportedFunction, source: ts.SourceFile) => boolean) =>
    files
      .filter(({ file }) => file.endsWith('.service.ts'))
      .flatMap(({ file, source }) =>
        exportedFunctions(source)
          .filter((f) => bad(f, source))
          .map(({ name }) => `${relative(file)}: ${name}`),
      )
      .sort();

  it('(c) every exported function of a service takes ctx: AppContext first', () => {
    const wrong = servicesWhere(({ params }, source) => {
      const [name, type] = [params[0]?.name.getText(source), params[0]?.type?.getText(source)];
      return !((name === 'ctx' && type === 'AppContext') || (name === 'trx' && type === 'Trx'));
    });
    expect(wrong).toEqual(KNOWN.noContext);
  });

  it('(d) no service maps to API JSON or a view model', () => {
    const mappers = servicesWhere(({ name }) => /(ToJson|View|Json)$/.test(name));
    expect(mappers).toEqual(KNOWN.mappers);
  });
});
