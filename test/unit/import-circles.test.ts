import path from 'node:path';
import { importsOf, relative, SERVER, sourceFiles } from '../helpers/source-tree';

// No import circles, between files or between concept folders of server/ (STYLE.md: "When two concepts
// need each other, one of them is two concepts"). Every relative import counts, type-only and
// side-effect imports and re-exports included. The files at the top of server/ (app.ts, main.ts,
// config.ts, context.ts …) are the composition root, not a concept: they are left out of the folder graph.

/** file → the files it imports (relative imports resolved to .ts or index.ts) */
function importGraph(): Map<string, string[]> {
  return new Map(sourceFiles().map((file) => [file, importsOf(file)]));
}

/** The strongly connected components with more than one node (or a node importing itself): the circles. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const folderOf = (p: string): string | null => {
  const parts = relative(p).split('/');
  return parts.length > 1 ? parts[0] : null;
};

function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const folders = new Map<string, Set<string>>();
  for (const [file, deps] of files) {
    const from = folderOf(file);
    if (!from) continue;
    const set = folders.get(from) ?? folders.set(from, new Set()).get(from)!;
    for (const dep of deps) {
      const to = folderOf(dep);
      if (to && to !== from) set.add(to);
    }
  }
  return new Map([...folders].map(([k, v]) => [k, [...v]]));
}

describe('import circles', () => {
  const files = importGraph();

  it('reads the whole server tree', () => {
    expect(files.size).toBeGreaterThan(100);
    // a known edge, so a broken resolver cannot pass by finding nothing
    expect(files.get(path.join(SERVER, 'listings/listings.service.ts'))).toContain(
      path.join(SERVER, 'listings/life.ts'),
    );
  });

  it('finds a circle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('has none between files', () => {
    expect(circles(files).map((c) => c.map(relative))).toEqual([]);
  });

  // the last one, bids ↔ listings (publishing a sealed listing made its seal key through bids/), went through
  // ctx.listingSteps (listings/life.ts ListingSteps, wired in server/listing-steps.ts)
  it('has none between concept folders', () => {
    expect(circles(folderGraph(files))).toEqual([]);
  });
});
