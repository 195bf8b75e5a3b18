import type { Executor } from '../db/db';
import { insertNotifications, NewNotification } from './notifications.repository';

/** A message to one person (stored as notifications.repository.ts NewNotification). */
export type Notice = NewNotification;

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
    await insertNotifications(db, notices);
  },
};
