import crypto from 'node:crypto';
import {
  EMPTY_ROOT,
  leafHash,
  MerkleTree,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../server/trail/merkle';

const sha = (...parts: Buffer[]) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 9162 2.1.1 written out literally, with no caching, to check the tree against. */
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return sha(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
}

const entries = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));

describe('RFC 9162 hashing', () => {
  it('hashes leaves with 0x00 and nodes with 0x01, and the empty tree as SHA-256 of nothing', () => {
    const a = Buffer.from('a');
    expect(leafHash(a).equals(sha(Buffer.from([0]), a))).toBe(true);
    expect(nodeHash(a, a).equals(sha(Buffer.from([1]), a, a))).toBe(true);
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the literal RFC root for every size up to 70, and for every earlier size of the same tree', () => {
    const d = entries(70);
    const tree = new MerkleTree(d.map(leafHash));
    for (let n = 0; n <= 70; n += 1) expect(tree.root(n).toString('hex')).toBe(mth(d.slice(0, n)).toString('hex'));
  });

  it('matches the RFC 6962 reference roots of its 8 test leaves', () => {
    // test vectors from Certificate Transparency (RFC 6962 uses the same tree hashing)
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const tree = new MerkleTree(leaves.map((h) => leafHash(Buffer.from(h, 'hex'))));
    expect(tree.root(1).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(tree.root(2).toString('hex')).toBe('fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
    expect(tree.root(3).toString('hex')).toBe('aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77');
    expect(tree.root(8).toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });
});

describe('inclusion proofs', () => {
  const d = entries(37);
  const tree = new MerkleTree(d.map(leafHash));

  it('prove every leaf in every tree size, and fail for another leaf, index, size or root', () => {
    for (let n = 1; n <= 37; n += 1) {
      const root = tree.root(n);
      for (let m = 0; m < n; m += 1) {
        const path = tree.inclusionProof(m, n);
        expect(verifyInclusion(leafHash(d[m]), m, n, path, root)).toBe(true);
        expect(verifyInclusion(leafHash(Buffer.from('forged')), m, n, path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leafHash(d[m]), (m + 1) % n, n, path, root)).toBe(false);
        expect(verifyInclusion(leafHash(d[m]), m, n, path, tree.root(n === 1 ? 2 : n - 1))).toBe(false);
      }
    }
    expect(verifyInclusion(leafHash(d[0]), 5, 5, [], tree.root(5))).toBe(false);
  });

  it('refuses leaves outside the tree', () => {
    expect(() => tree.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => tree.inclusionProof(0, 38)).toThrow(RangeError);
  });
});

describe('consistency proofs', () => {
  const d = entries(40);
  const tree = new MerkleTree(d.map(leafHash));

  it('prove every earlier size is a prefix of every later one', () => {
    for (let n = 1; n <= 40; n += 1)
      for (let m = 0; m <= n; m += 1) {
        const path = tree.consistencyProof(m, n);
        expect({ m, n, ok: verifyConsistency(m, n, tree.root(m), tree.root(n), path) }).toEqual({ m, n, ok: true });
      }
  });

  it('fail against a rewritten history: any changed leaf, a dropped leaf, or a wrong size', () => {
    for (const [m, n] of [
      [3, 7],
      [4, 8],
      [5, 39],
      [16, 33],
      [1, 2],
    ]) {
      const path = tree.consistencyProof(m, n);
      for (let i = 0; i < n; i += 1) {
        const forged = d.slice(0, n).map((e, j) => (j === i ? Buffer.from('forged') : e));
        const other = new MerkleTree(forged.map(leafHash));
        // the forged tree can prove nothing against the honest old root, nor the honest proof against it
        expect(verifyConsistency(m, n, tree.root(m), other.root(n), path)).toBe(false);
        expect(verifyConsistency(m, n, tree.root(m), other.root(n), other.consistencyProof(m, n))).toBe(i >= m);
      }
      const dropped = new MerkleTree(d.slice(1, n + 1).map(leafHash));
      expect(verifyConsistency(m, n, tree.root(m), dropped.root(n), dropped.consistencyProof(m, n))).toBe(false);
      expect(verifyConsistency(m, n + 1, tree.root(m), tree.root(n + 1), path)).toBe(false);
    }
    expect(verifyConsistency(3, 3, tree.root(3), tree.root(4), [])).toBe(false);
    expect(verifyConsistency(3, 2, tree.root(3), tree.root(2), [])).toBe(false);
  });
});
