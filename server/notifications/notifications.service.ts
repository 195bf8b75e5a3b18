import type { AppContext } from '../context';
import type { Db } from '../db/db';
import { isId } from '../http/access';
import { NotFoundError } from '../http/errors';
import { Lang, t } from '../http/i18n';
import * as repo from './notifications.repository';
import './notifications.messages';

export interface InboxItem {
  id: string;
  at: Date;
  text: string;
  listingId: string | null;
  read: boolean;
}

/** The inbox in the reader's language: texts are made from the key and params when read. */
export async function inboxFor(db: Db, userId: string, lang: Lang): Promise<InboxItem[]> {
  return (await repo.listNotifications(db, userId)).map((n) => ({
    id: n.id,
    at: n.at,
    text: t(lang, n.messageKey, n.params),
    listingId: n.listingId,
    read: n.readAt !== null,
  }));
}

/** How many of the person's messages are unread, for the header of every page: one count on a partial index. */
export async function unreadCount(ctx: AppContext, userId: string): Promise<number> {
  return repo.countUnread(ctx.db, userId);
}

export async function markNotificationRead(db: Db, userId: string, id: string): Promise<void> {
  if (!isId(id) || !(await repo.markRead(db, userId, id))) throw new NotFoundError();
}

export function inboxItemToJson(i: InboxItem) {
  return { id: i.id, at: i.at.toISOString(), text: i.text, listingId: i.listingId, read: i.read };
}
