import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db';

// Least privilege: the app serves through a role that is not a superuser, owns nothing, and holds
// only table rights — on the audit table only SELECT and INSERT, so it can neither change nor remove
// an entry, nor switch the append-only trigger off (only a table's owner may). Migrations run as the
// owner (the role of MIGRATION_DATABASE_URL, or of DATABASE_URL when it is the only one given).

/** Tables the serving role may only read and append to. */
const APPEND_ONLY = new Set(['audit']);
/** Tables the serving role never touches (the migrator's own). */
const OWNER_ONLY = new Set(['kysely_migration', 'kysely_migration_lock']);

const ident = (name: string) => sql.id(name);

/** A PostgreSQL role name for the app: APP_DB_ROLE, or "<database>_app". */
export function servingRoleName(ownerUrl: string, configured: string | null): string {
  const name = configured ?? `${decodeURIComponent(new URL(ownerUrl).pathname.slice(1)) || 'township'}_app`;
  const clean = name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  if (!/^[a-z_]/.test(clean)) return `r_${clean}`.slice(0, 63);
  return clean;
}

/**
 * The serving role's password, kept outside the database: APP_DB_PASSWORD, or derived from the owner's
 * connection string (HMAC-SHA256), so every instance given the same owner URL agrees without a shared file,
 * and nobody without the owner's credentials can compute it.
 */
export function servingPassword(ownerUrl: string, configured: string | null): string {
  return configured ?? crypto.createHmac('sha256', ownerUrl).update('township serving role v1').digest('hex');
}

/** The owner's URL with the serving role's name and password. */
export function servingUrl(ownerUrl: string, role: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Creates the serving role, or resets it to exactly these attributes and this password. Needs CREATEROLE. */
export async function ensureServingRole(owner: Db, role: string, password: string): Promise<void> {
  const attrs = sql.raw('LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT');
  const exists = await sql<{ one: number }>`SELECT 1 AS one FROM pg_roles WHERE rolname = ${role}`.execute(owner);
  if (exists.rows.length === 0) {
    try {
      await sql`CREATE ROLE ${ident(role)} ${attrs} PASSWORD ${sql.lit(password)}`.execute(owner);
    } catch (e) {
      // another instance made it at the same moment
      if ((e as { code?: string }).code !== '42710') throw e;
    }
  }
  await sql`ALTER ROLE ${ident(role)} ${attrs} PASSWORD ${sql.lit(password)}`.execute(owner);
  await grantServingRights(owner, role);
}

/**
 * Gives the role exactly its rights on every table of the schema (tables other helpers add later are
 * covered at the next start): SELECT, INSERT, UPDATE, DELETE; the audit table SELECT and INSERT only;
 * the migrator's tables nothing. Sequences: USAGE and SELECT (bigserial ids). No TRUNCATE, REFERENCES
 * or TRIGGER on anything, and no CREATE on the schema.
 */
export async function grantServingRights(owner: Db, role: string): Promise<void> {
  const r = ident(role);
  const { rows: owned } = await sql<{
    owns: boolean;
  }>`SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner WHERE o.rolname = ${role}) AS owns`.execute(
    owner,
  );
  if (owned[0]?.owns) throw new Error(`the serving role ${role} owns tables: give the app a role that owns nothing`);
  await sql`GRANT USAGE ON SCHEMA public TO ${r}`.execute(owner);
  await sql`REVOKE CREATE ON SCHEMA public FROM ${r}`.execute(owner);
  const { rows: tables } = await sql<{
    name: string;
  }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(owner);
  for (const { name } of tables) {
    const t = sql.id('public', name);
    await sql`REVOKE ALL ON TABLE ${t} FROM ${r}`.execute(owner);
    if (OWNER_ONLY.has(name)) continue;
    const rights = sql.raw(APPEND_ONLY.has(name) ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE');
    await sql`GRANT ${rights} ON TABLE ${t} TO ${r}`.execute(owner);
  }
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`.execute(owner);
}
