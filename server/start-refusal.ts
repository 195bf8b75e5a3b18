/**
 * A start refused for a reason the operator can fix (a port in use, a data folder to repair): main prints the
 * message alone, Chinese first and then English, and exits 1.
 */
export class StartRefusal extends Error {
  constructor(
    readonly problem: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh}\n\n${en}`);
    this.name = 'StartRefusal';
  }

  /** Several refusals found at once, said together (every Chinese paragraph first). */
  static all(refusals: StartRefusal[]): StartRefusal | null {
    if (refusals.length <= 1) return refusals[0] ?? null;
    return new StartRefusal(
      refusals.map((r) => r.problem).join('+'),
      refusals.map((r) => r.zh).join('\n\n'),
      refusals.map((r) => r.en).join('\n\n'),
    );
  }
}
