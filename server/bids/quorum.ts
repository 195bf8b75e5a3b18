// Opening quorum rules of a listing's sealing key (sealing.service.ts), pure.

/** Who among the holders counts: enough of them, and one from outside the township when the quorum is 2+. */
export function quorumMet(quorum: number, confirmations: { townshipStaff: boolean }[]): boolean {
  if (confirmations.length < quorum) return false;
  return quorum < 2 || confirmations.some((c) => !c.townshipStaff);
}

/** Whether a set of holders could ever reach the quorum (checked at publish). */
export function holdersCanOpen(quorum: number, holders: { townshipStaff: boolean }[]): boolean {
  return quorumMet(quorum, holders);
}
