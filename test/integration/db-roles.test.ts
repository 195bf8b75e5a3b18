import { sql } from 'kysely';
import { Client } from 'pg';
import { loadConfig } from '../../server/config';
import { connectDatabase } from '../../server/db/connect';
import { servingPassword, servingRoleName } from '../../server/db/roles';
import { appendAudit } from '../../server/trail/append';
import { createTestEnv, TestEnv } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await env.ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: 'admin', action: 'township.created' }));
});
afterAll(async () => {
  await env.close();
});

/** The PostgreSQL error code a statement fails with on the app's own connection, or 'ok'. */
async function codeOf(statement: string, db = env.ctx.db): Promise<string> {
  return sql
    .raw(statement)
    .execute(db)
    .then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'unknown',
    );
}

describe('the role the app serves as', () => {
  it('is not a superuser, cannot make roles or databases, and owns nothing', async () => {
    const { rows } = await sql<{
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      rolbypassrls: boolean;
      owned: string;
    }>`SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
         (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)
         + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid)
         + (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid)
         + (SELECT count(*) FROM pg_database d WHERE d.datdba = r.oid) AS owned
       FROM pg_roles r WHERE r.rolname = current_user`.execute(env.ctx.db);
    expect(rows[0]).toEqual({
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolbypassrls: false,
      owned: '0',
    });
  });

  it('may only read and append to the audit table, and cannot switch its trigger off', async () => {
    expect(await codeOf('SELECT count(*) FROM audit')).toBe('ok');
    expect(await codeOf(`UPDATE audit SET actor = 'mallory'`)).toBe('42501');
    expect(await codeOf('DELETE FROM audit')).toBe('42501');
    expect(await codeOf('TRUNCATE audit')).toBe('42501');
    expect(await codeOf('ALTER TABLE audit DISABLE TRIGGER audit_append_only')).toBe('42501');
    expect(await codeOf('ALTER TABLE audit DISABLE TRIGGER ALL')).toBe('42501');
    expect(await codeOf('DROP TRIGGER audit_append_only ON audit')).toBe('42501');
    expect(
      await codeOf(
        'CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE sql AS $$ SELECT NULL $$',
      ),
    ).toBe('42501');
    // the trigger-less replica mode needs a superuser
    expect(await codeOf('SET session_replication_role = replica')).toBe('42501');
    expect(await codeOf('CREATE TABLE public.mine (x int)')).toBe('42501');
    expect(await codeOf('TRUNCATE listings')).toBe('42501');
    expect(await codeOf('SELECT * FROM kysely_migration')).toBe('42501');
    // and still does its work: the entry written in beforeAll is there, with nothing changed
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit`.execute(env.ctx.db);
    expect(Number(rows[0].n)).toBe(1);
  });
});

describe('one owner URL: the app makes its serving role at start', () => {
  it('creates "<database>_app" with a password derived from the owner URL, and serves as it; again at the next start', async () => {
    const config = loadConfig({ DATABASE_URL: env.database.ownerUrl, DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
    for (let start = 0; start < 2; start += 1) {
      const conn = await connectDatabase(config, () => undefined, { migrate: true });
      try {
        const role = servingRoleName(env.database.ownerUrl, null);
        expect(role).toMatch(/^t_[0-9a-f]{12}_app$/);
        const { rows } = await sql<{ who: string; su: boolean }>`SELECT current_user AS who,
          (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su`.execute(conn.db);
        expect(rows[0]).toEqual({ who: role, su: false });
        expect(await codeOf('DELETE FROM audit', conn.db)).toBe('42501');
        expect(await codeOf('SELECT count(*) FROM listings', conn.db)).toBe('ok');
        // the password is nowhere in the database but can be derived by whoever holds the owner URL
        const direct = new Client({ connectionString: conn.url });
        await direct.connect();
        await direct.end();
        expect(conn.url).toContain(servingPassword(env.database.ownerUrl, null));
      } finally {
        await conn.close();
      }
    }
  });
});
