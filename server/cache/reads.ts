import { Source, SOURCES } from './version';

/**
 * A cached read: its name and every source of data its value is made from (tables, and the clock where
 * the value changes with time alone). Declared once, next to the read, with defineRead; the read's
 * version is made of these sources' versions only. test/integration/read-dependencies.test.ts fails
 * when a read queries a table it does not declare, or declares a source nothing keeps a version of.
 */
export interface ReadSpec {
  readonly name: string;
  readonly dependsOn: readonly Source[];
}

const READS = new Map<string, ReadSpec>();

/** Parts of a table that only mean something together with the whole table's changes. */
const NEEDS: Partial<Record<Source, Source>> = { 'listings.ends_at': 'listings', bids: 'listings' };

export function defineRead(name: string, dependsOn: readonly Source[]): ReadSpec {
  for (const s of dependsOn) {
    if (!(s in SOURCES)) throw new Error(`read ${name}: unknown source ${s}`);
    const needs = NEEDS[s];
    if (needs && !dependsOn.includes(needs)) throw new Error(`read ${name}: ${s} is declared without ${needs}`);
  }
  if (READS.has(name)) throw new Error(`read ${name} is defined twice`);
  const spec: ReadSpec = { name, dependsOn: [...new Set(dependsOn)].sort() };
  READS.set(name, spec);
  return spec;
}

/** Every read defined so far (each module defines its reads when it is loaded). */
export function definedReads(): ReadSpec[] {
  return [...READS.values()];
}

/** The union of several reads' sources, for a read made of them. */
export function sourcesOf(...reads: ReadSpec[]): Source[] {
  return [...new Set(reads.flatMap((r) => r.dependsOn))];
}
