import type { ListingState } from '../db/database';
import { ConflictError } from '../http/errors';
import type { ListingStatus } from './status';

/**
 * A listing's life as a pure state machine, over the status the public sees (announced/open/closed
 * follow from the clock while the stored state is 'published'). Bids opening, awards and contracts
 * call assertTransition too, so every concept agrees on what may happen when.
 */
export type ListingAction =
  | 'edit' // change the terms (draft only)
  | 'publish' // draft → published (announced, then open, then closed by the clock)
  | 'open' // 开标 after the deadline: closed → opened
  | 'fail' // 流标: closed (too few bids at opening) or opened (no award possible) → failed
  | 'award' // opened → awarded
  | 'conclude' // contract signed: awarded → concluded
  | 'cancel' // 终止 with a reason, any time before an award
  | 'relist'; // failed or cancelled → a NEW draft; the old listing keeps its state

const TRANSITIONS: Record<ListingAction, Partial<Record<ListingStatus, ListingState>>> = {
  edit: { draft: 'draft' },
  publish: { draft: 'published' },
  open: { closed: 'opened' },
  fail: { closed: 'failed', opened: 'failed' },
  award: { opened: 'awarded' },
  conclude: { awarded: 'concluded' },
  cancel: { draft: 'cancelled', announced: 'cancelled', open: 'cancelled', closed: 'cancelled', opened: 'cancelled' },
  relist: { failed: 'failed', cancelled: 'cancelled' },
};

/** The stored state after the action, or null when the action is not allowed from there. */
export function nextState(from: ListingStatus, action: ListingAction): ListingState | null {
  return TRANSITIONS[action][from] ?? null;
}

export function canTransition(from: ListingStatus, action: ListingAction): boolean {
  return nextState(from, action) !== null;
}

/** Throws 409 INVALID_STATE when the action is not allowed from this status; returns the new state. */
export function assertTransition(from: ListingStatus, action: ListingAction): ListingState {
  const to = nextState(from, action);
  if (to === null)
    throw new ConflictError('INVALID_STATE', 'error.INVALID_STATE', { status: from, action }, { status: from, action });
  return to;
}

/** The actions staff may take next from a status, for the dashboard's "next step" hints. */
export function availableActions(from: ListingStatus): ListingAction[] {
  return (Object.keys(TRANSITIONS) as ListingAction[]).filter((a) => canTransition(from, a));
}
