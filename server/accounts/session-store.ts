import crypto from 'node:crypto';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';

/** What the sessions table keeps instead of a session id: its SHA-256, so a database read opens no session. */
export const hashSessionId = (sid: string): string => crypto.createHash('sha256').update(sid, 'utf8').digest('hex');

const PgStore = connectPgSimple(session);

/**
 * connect-pg-simple with every session id hashed on its way in: the cookie carries the id (signed),
 * the table only its hash, like the API's bearer tokens. Nothing else changes (expiry, pruning, touch).
 */
class HashedSessionStore extends PgStore {
  override get(sid: string, fn: Parameters<InstanceType<typeof PgStore>['get']>[1]) {
    return super.get(hashSessionId(sid), fn);
  }
  override set(sid: string, sess: session.SessionData, fn?: (err?: unknown) => void) {
    return super.set(hashSessionId(sid), sess, fn);
  }
  override destroy(sid: string, fn?: (err?: unknown) => void) {
    return super.destroy(hashSessionId(sid), fn);
  }
  override touch(sid: string, sess: session.SessionData, fn?: () => void) {
    return super.touch(hashSessionId(sid), sess, fn);
  }
}

export function sessionStore(pool: Pool, pruneSeconds: number): session.Store {
  return new HashedSessionStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: pruneSeconds || false,
  });
}
