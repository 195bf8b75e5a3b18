/**
 * Holding a running platform to its transparency log, from outside, with public endpoints only:
 *   npm run audit:verify -- --url https://jy.example.gov.cn --checkpoint kept-checkpoint.json
 * Fetches the current signed checkpoint, checks its Ed25519 signature, and — when the file holds an
 * earlier checkpoint — checks it was signed by the same key, that the log did not shrink, and fetches
 * a consistency proof from the kept size to the new one and verifies it here (RFC 9162). On success it
 * saves the new checkpoint in the file for next time. Nothing is trusted but the kept file.
 *
 * Offline, an exported trail (GET /api/v1/audit/export, auditors only):
 *   npm run audit:verify -- audit-trail.json
 * recomputes every hash of the chain and the Merkle root.
 *
 * Exit code 0 when everything holds, 1 when the log is broken or inconsistent, 2 on bad usage or an
 * unreachable server.
 */
import fs from 'node:fs';
import { Checkpoint, parseCheckpoint, verifyCheckpointSignature } from './checkpoint';
import { leafHash, MerkleTree, verifyConsistency } from './merkle';
import { entryBytes, StoredAuditEntry, verifyChain } from './trail';

type Outcome = { code: 0 | 1 | 2; report: Record<string, unknown> };

const fail = (code: 1 | 2, problem: string, extra: Record<string, unknown> = {}): Outcome => ({
  code,
  report: { valid: false, problem, ...extra },
});

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

function readKept(file: string): Checkpoint | null | { error: string } {
  if (!fs.existsSync(file)) return null;
  try {
    return parseCheckpoint(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export async function checkOnline(base: string, file: string): Promise<Outcome> {
  const api = `${base.replace(/\/+$/, '')}/api/v1/audit`;
  const kept = readKept(file);
  if (kept && 'error' in kept) return fail(2, `cannot read the kept checkpoint ${file}: ${kept.error}`);
  let current: Checkpoint;
  try {
    const parsed = parseCheckpoint(await getJson(`${api}/checkpoint`));
    if ('error' in parsed) return fail(1, `the server's checkpoint is malformed: ${parsed.error}`);
    current = parsed;
  } catch (e) {
    return fail(2, (e as Error).message);
  }
  if (!verifyCheckpointSignature(current)) return fail(1, 'the current checkpoint is not validly signed');
  if (kept) {
    if (!verifyCheckpointSignature(kept)) return fail(1, 'the kept checkpoint is not validly signed');
    if (kept.publicKey.trim() !== current.publicKey.trim())
      return fail(1, 'the checkpoint is signed by another key than the kept one', { kept: kept.size });
    if (current.size < kept.size)
      return fail(1, 'the log is shorter than the kept checkpoint: entries were cut off', {
        kept: kept.size,
        size: current.size,
      });
    let path: string[];
    try {
      const proof = (await getJson(`${api}/consistency?from=${kept.size}&to=${current.size}`)) as { path?: unknown };
      if (!Array.isArray(proof.path) || !proof.path.every((p) => typeof p === 'string' && /^[0-9a-f]{64}$/.test(p)))
        return fail(1, 'the consistency proof is malformed');
      path = proof.path as string[];
    } catch (e) {
      return fail(2, (e as Error).message);
    }
    const ok = verifyConsistency(
      kept.size,
      current.size,
      Buffer.from(kept.root, 'hex'),
      Buffer.from(current.root, 'hex'),
      path.map((p) => Buffer.from(p, 'hex')),
    );
    if (!ok)
      return fail(1, 'the log does not extend the kept checkpoint: entries were altered or removed', {
        kept: kept.size,
        size: current.size,
      });
  }
  fs.writeFileSync(file, JSON.stringify(current, null, 2) + '\n');
  return {
    code: 0,
    report: { valid: true, kept: kept?.size ?? null, size: current.size, root: current.root, at: current.at },
  };
}

export function checkExport(file: string): Outcome {
  let entries: StoredAuditEntry[];
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredAuditEntry[] | { entries?: unknown };
    const list = Array.isArray(parsed) ? parsed : parsed.entries;
    if (!Array.isArray(list)) throw new Error('expected a JSON array of entries');
    entries = list as StoredAuditEntry[];
  } catch (e) {
    return fail(2, `cannot read ${file}: ${(e as Error).message}`);
  }
  const result = verifyChain(entries);
  if (!result.valid) return { code: 1, report: result };
  const root = new MerkleTree(entries.map((e) => leafHash(entryBytes(e)))).root().toString('hex');
  return { code: 0, report: { ...result, root } };
}

async function main(argv: string[]): Promise<number> {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const url = opt('--url');
  const kept = opt('--checkpoint');
  let outcome: Outcome;
  if (url && kept) outcome = await checkOnline(url, kept);
  else if (argv[0] && !argv[0].startsWith('--')) outcome = checkExport(argv[0]);
  else {
    console.error('usage: npm run audit:verify -- --url <https://platform> --checkpoint <kept-checkpoint.json>');
    console.error('       npm run audit:verify -- <exported-trail.json>');
    return 2;
  }
  console.log(JSON.stringify(outcome.report));
  return outcome.code;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
