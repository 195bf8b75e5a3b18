import type { Db } from '../db/db';
import { leafHash, MerkleTree } from './merkle';
import { entryBytes } from './trail';
import { listLeavesAfter } from './trail.repository';

const PAGE = 5000;

/** The tree of the stored trail as this process last read it, with the seq and time of its newest entry. */
export interface TreeState {
  tree: MerkleTree;
  lastSeq: number;
  lastAt: string | null;
}

interface Held {
  state: TreeState;
  /** syncs run one after another, so two requests never append the same entries twice */
  queue: Promise<unknown>;
}

// one tree per database handle (tests run several apps, each on its own database)
const trees = new WeakMap<Db, Held>();

const empty = (): TreeState => ({ tree: new MerkleTree(), lastSeq: 0, lastAt: null });
type LeafRow = Awaited<ReturnType<typeof listLeavesAfter>>[number];
const leafOf = (r: LeafRow): Buffer => r.leaf ?? leafHash(entryBytes(r.entry!));

/**
 * Brings the tree up to the stored trail, reading only the entries appended since the last call
 * (the trail is append-only, so complete subtrees never change). Leaves are the stored leaf hashes,
 * or for entries older than that column, hashed from the entries themselves (verify always recomputes). If the newest entry this process had seen is gone or changed (someone
 * reached under the app), the tree is rebuilt from the first entry.
 */
export function syncTree(db: Db): Promise<TreeState> {
  let held = trees.get(db);
  if (!held) {
    held = { state: empty(), queue: Promise.resolve() };
    trees.set(db, held);
  }
  const h = held;
  const run = h.queue.then(async () => {
    await extend(db, h);
    return h.state;
  });
  h.queue = run.catch(() => undefined);
  return run;
}

/** Each page is appended together with the seq it reached, so a failed read leaves a consistent state. */
async function extend(db: Db, h: Held): Promise<void> {
  if (h.state.lastSeq > 0) {
    const { tree, lastSeq } = h.state;
    const [last] = await listLeavesAfter(db, lastSeq - 1, 1);
    if (!last || last.seq !== lastSeq || !leafOf(last).equals(tree.leaf(tree.size - 1))) h.state = empty();
  }
  for (;;) {
    const page = await listLeavesAfter(db, h.state.lastSeq, PAGE);
    if (page.length === 0) return;
    const leaves = page.map(leafOf);
    for (const l of leaves) h.state.tree.append(l);
    h.state.lastSeq = page[page.length - 1].seq;
    h.state.lastAt = page[page.length - 1].at;
    if (page.length < PAGE) return;
  }
}
