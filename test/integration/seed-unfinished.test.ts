import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareData, SEEDING_MARK } from '../../server/prepare-data';
import { SEED_STEPS, SeedStep } from '../../seeds/seed';
import { createTestEnv, TestEnv } from '../helpers/context';

// The embedded first start seeds the demo data; a start that dies half-way through must not leave a
// half-seeded database that the next start takes for a finished one.
let env: TestEnv;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-seed-mark-'));
beforeAll(async () => {
  env = await createTestEnv({ DATA_DIR: dataDir });
});
afterAll(async () => {
  await env.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function count(table: 'townships' | 'awards' | 'users'): Promise<number> {
  const row = await env.ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('demo seeding interrupted on the embedded first start', () => {
  it('keeps its mark when it dies after the first step, and the next start finishes the seed', async () => {
    const mark = path.join(dataDir, SEEDING_MARK);
    // the machine "dies" right after the townships and accounts are in
    const dies: SeedStep = () => Promise.reject(new Error('killed while seeding'));
    SEED_STEPS.splice(1, 0, dies);
    try {
      await expect(prepareData(env.ctx, true)).rejects.toThrow('killed while seeding');
    } finally {
      SEED_STEPS.splice(SEED_STEPS.indexOf(dies), 1);
    }
    expect(fs.existsSync(mark)).toBe(true);
    expect(await count('townships')).toBe(3);
    expect(await count('awards')).toBe(0);

    // the townships exist, so only the mark tells the next start the seed is not done
    expect(await prepareData(env.ctx, true)).toBe(true);
    expect(await count('awards')).toBeGreaterThan(0);
    expect(fs.existsSync(mark)).toBe(false);

    // a finished seed is not run again: a restart changes nothing
    const [users, awards] = [await count('users'), await count('awards')];
    expect(await prepareData(env.ctx, true)).toBe(false);
    expect([await count('users'), await count('awards')]).toEqual([users, awards]);
  });
});
