import type { Executor } from '../db/db';

export interface NewNotification {
  userId: string;
  listingId: string | null;
  /** an i18n key; the text is made in the reader's language when shown */
  messageKey: string;
  params?: Record<string, string>;
}

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

/** Messages into the inboxes, in the caller's transaction (inboxNotifier). */
export async function insertNotifications(db: Executor, notices: readonly NewNotification[]): Promise<void> {
  await db
    .insertInto('notifications')
    .values(
      notices.map((n) => ({
        user_id: n.userId,
        listing_id: n.listingId,
        message_key: n.messageKey,
        params: JSON.stringify(n.params ?? {}),
      })),
    )
    .execute();
}
