import type { Executor } from '../db/db';

export interface StoredNotification {
  id: string;
  listingId: string | null;
  messageKey: string;
  params: Record<string, string>;
  at: Date;
  readAt: Date | null;
}

/** A person's inbox, newest first (the last 200 are plenty for a township's pace of deals). */
export async function listNotifications(db: Executor, userId: string, limit = 200): Promise<StoredNotification[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    listingId: r.listing_id,
    messageKey: r.message_key,
    params: r.params ?? {},
    at: r.at,
    readAt: r.read_at,
  }));
}

/** Marks one of the user's own messages read; false when it is not theirs (or does not exist). */
export async function markRead(db: Executor, userId: string, id: string): Promise<boolean> {
  const own = await db
    .selectFrom('notifications')
    .select(['id', 'read_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!own) return false;
  if (!own.read_at) await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).execute();
  return true;
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
