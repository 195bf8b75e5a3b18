import { Lang, t } from '../http/i18n';
import type { StoredNotification } from './notifications.service';
import './notifications.messages';

/** One inbox entry in the reader's language: the text is made from the key and params when read. */
export interface InboxItem {
  id: string;
  at: Date;
  text: string;
  listingId: string | null;
  read: boolean;
}

export function inboxItem(lang: Lang, n: StoredNotification): InboxItem {
  return { id: n.id, at: n.at, text: t(lang, n.messageKey, n.params), listingId: n.listingId, read: n.readAt !== null };
}

/** GET /me/notifications: one entry as the API answers it. */
export function inboxItemToJson(i: InboxItem) {
  return { id: i.id, at: i.at.toISOString(), text: i.text, listingId: i.listingId, read: i.read };
}
