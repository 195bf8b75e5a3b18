/** The hall's own figures (便民服务中心), recorded by staff per day, next to the trading ones. */
export const HALL_KINDS = ['service', 'dispute', 'consultation', 'info'] as const;
export type HallKind = (typeof HALL_KINDS)[number];

export interface HallFigures {
  servicesHandled: number;
  disputesMediated: number;
  consultations: number;
  /** what staff recorded as published information (not counting the board's own notices) */
  infoRecorded: number;
}

/** Sums per kind → the hall's figures; kinds with no rows are zero. */
export function hallFigures(sums: Partial<Record<HallKind, number>>): HallFigures {
  return {
    servicesHandled: sums.service ?? 0,
    disputesMediated: sums.dispute ?? 0,
    consultations: sums.consultation ?? 0,
    infoRecorded: sums.info ?? 0,
  };
}

/** Every notice the board published counts as information published, plus what staff recorded. */
export function infoPublished(figures: HallFigures, notices: { announcements: number; results: number }): number {
  return figures.infoRecorded + notices.announcements + notices.results;
}

/**
 * Splits a total over n slots by fixed weights, exactly (largest remainder), so seeded history adds
 * up to the published figures to the unit. Deterministic: the same input gives the same split.
 */
export function spreadTotal(total: number, weights: number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error('total must be a non-negative integer');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum <= 0) throw new Error('weights must be positive');
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** A deterministic weight for a slot (no randomness in seeds): between 0.5 and 1.5. */
export function slotWeight(index: number, salt: number): number {
  const x = Math.sin((index + 1) * 12.9898 + salt * 78.233) * 43758.5453;
  return 0.5 + (x - Math.floor(x));
}
