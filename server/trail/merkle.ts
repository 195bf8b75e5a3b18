import crypto from 'node:crypto';

// A Merkle tree hashed as in Certificate Transparency (RFC 9162, section 2.1): leaf = SHA-256(0x00 || entry),
// node = SHA-256(0x01 || left || right); a tree of n leaves splits at the largest power of two below n.
// Proofs and their verification follow RFC 9162 sections 2.1.3 (inclusion) and 2.1.4 (consistency).

const sha256 = (...parts: Buffer[]) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (entry: Buffer): Buffer => sha256(LEAF, entry);
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);
/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = sha256();

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/**
 * An append-only tree that keeps every complete aligned subtree (levels[j][i] covers leaves
 * i·2^j … (i+1)·2^j − 1), so a root or a proof for any size costs O(log² n) hashes, not O(n).
 */
export class MerkleTree {
  private readonly levels: Buffer[][] = [[]];

  constructor(leaves: Buffer[] = []) {
    for (const l of leaves) this.append(l);
  }

  get size(): number {
    return this.levels[0].length;
  }

  leaf(index: number): Buffer {
    return this.levels[0][index];
  }

  append(leaf: Buffer): void {
    this.levels[0].push(leaf);
    for (let j = 0; this.levels[j].length % 2 === 0; j += 1) {
      const level = this.levels[j];
      (this.levels[j + 1] ??= []).push(nodeHash(level[level.length - 2], level[level.length - 1]));
    }
  }

  /** MTH of the n leaves from start (start is a multiple of every power of two below n in RFC recursion). */
  private hash(start: number, n: number): Buffer {
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n) && start % n === 0) return this.levels[Math.log2(n)][start / n];
    const k = splitPoint(n);
    return nodeHash(this.hash(start, k), this.hash(start + k, n - k));
  }

  private checkSize(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.size) throw new RangeError(`no tree of size ${n}`);
  }

  /** The root of the tree of the first n leaves (the tree as it was at size n). */
  root(n = this.size): Buffer {
    this.checkSize(n);
    return this.hash(0, n);
  }

  /** PATH(m, D[n]): the audit path of leaf m in the tree of size n, from the leaf up. */
  inclusionProof(m: number, n = this.size): Buffer[] {
    this.checkSize(n);
    if (!Number.isInteger(m) || m < 0 || m >= n) throw new RangeError(`no leaf ${m} in a tree of size ${n}`);
    const path: Buffer[] = [];
    const walk = (index: number, start: number, size: number): void => {
      if (size <= 1) return;
      const k = splitPoint(size);
      if (index < k) {
        walk(index, start, k);
        path.push(this.hash(start + k, size - k));
      } else {
        walk(index - k, start + k, size - k);
        path.push(this.hash(start, k));
      }
    };
    walk(m, 0, n);
    return path;
  }

  /** PROOF(m, D[n]): that the tree of size m is a prefix of the tree of size n. Empty when m is 0 or n. */
  consistencyProof(m: number, n = this.size): Buffer[] {
    this.checkSize(n);
    if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`no consistency from ${m} to ${n}`);
    const path: Buffer[] = [];
    if (m === 0 || m === n) return path;
    const sub = (mm: number, start: number, size: number, whole: boolean): void => {
      if (mm === size) {
        if (!whole) path.push(this.hash(start, size));
        return;
      }
      const k = splitPoint(size);
      if (mm <= k) {
        sub(mm, start, k, whole);
        path.push(this.hash(start + k, size - k));
      } else {
        sub(mm - k, start + k, size - k, false);
        path.push(this.hash(start, k));
      }
    };
    sub(m, 0, n, true);
    return path;
  }
}

/** RFC 9162 2.1.3.2: does the path prove that leaf `index` of a tree of `size` leaves with `root` is leafHash? */
export function verifyInclusion(leaf: Buffer, index: number, size: number, path: Buffer[], root: Buffer): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2: does the path prove that the tree (first, firstRoot) is a prefix of (second, secondRoot)? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  path: Buffer[],
): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (first === 0) return path.length === 0 && firstRoot.equals(EMPTY_ROOT);
  if (first === second) return path.length === 0 && firstRoot.equals(secondRoot);
  if (path.length === 0) return false;
  const proof = isPowerOfTwo(first) ? [firstRoot, ...path] : path;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = proof[0];
  let sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}
