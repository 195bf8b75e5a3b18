import type { Person } from '../accounts/accounts';

// Opening quorum rules of a listing's sealing key (sealing.service.ts), pure.

/** A key holder of a listing: township staff or an auditor. */
export interface Holder {
  id: string;
  username: string;
  name: string | null;
  role: 'staff' | 'auditor';
  /** staff of the listing's own township (the rest are from outside: auditors) */
  townshipStaff: boolean;
}

/** A person as a holder of the township's listing. */
export const asHolder = (p: Person, townshipStaff: boolean): Holder => ({
  id: p.id,
  username: p.username,
  name: p.name,
  role: p.role as Holder['role'],
  townshipStaff,
});

/** Holders as the opening page lists them: the township's staff first, then the auditors, each by username. */
export const byRoleThenUsername = (a: Holder, b: Holder): number =>
  a.role === b.role ? a.username.localeCompare(b.username) : a.role === 'staff' ? -1 : 1;

/** Who among the holders counts: enough of them, and one from outside the township when the quorum is 2+. */
export function quorumMet(quorum: number, confirmations: { townshipStaff: boolean }[]): boolean {
  if (confirmations.length < quorum) return false;
  return quorum < 2 || confirmations.some((c) => !c.townshipStaff);
}

/** Whether a set of holders could ever reach the quorum (checked at publish). */
export function holdersCanOpen(quorum: number, holders: { townshipStaff: boolean }[]): boolean {
  return quorumMet(quorum, holders);
}
