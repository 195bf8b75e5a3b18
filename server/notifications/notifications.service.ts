import type { AppContext } from '../context';
import { isId } from '../http/access';
import { NotFoundError } from '../http/errors';
import * as repo from './notifications.repository';
import type { StoredNotification } from './notifications.repository';

export type { StoredNotification };

/** The signed-in person's inbox, newest first; the texts are made in the reader's language at the edge. */
export async function inboxFor(ctx: AppContext, userId: string): Promise<StoredNotification[]> {
  return repo.listNotifications(ctx.db, userId);
}

/** How many of the person's messages are unread, for the header of every page: one count on a partial index. */
export async function unreadCount(ctx: AppContext, userId: string): Promise<number> {
  return repo.countUnread(ctx.db, userId);
}

export async function markNotificationRead(ctx: AppContext, userId: string, id: string): Promise<void> {
  if (!isId(id) || !(await repo.markRead(ctx.db, userId, id))) throw new NotFoundError();
}
