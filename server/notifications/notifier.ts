import type { Executor } from '../db/db';

export interface Notice {
  userId: string;
  listingId: string | null;
  /** an i18n key; the text is made in the reader's language when shown */
  messageKey: string;
  params?: Record<string, string>;
}

/**
 * Every message to a person goes through one Notifier. The default writes to the in-app inbox;
 * an SMS or mail sender can be added by composing another Notifier around it.
 */
export interface Notifier {
  send(db: Executor, notices: Notice[]): Promise<void>;
}

export const inboxNotifier: Notifier = {
  async send(db, notices) {
    if (notices.length === 0) return;
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
  },
};
