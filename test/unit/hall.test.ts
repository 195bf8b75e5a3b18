import { hallFigures, infoPublished, slotWeight, spreadTotal } from '../../server/hall/hall';

describe('hall figures', () => {
  it('maps sums per kind and treats missing kinds as zero', () => {
    expect(hallFigures({ service: 5, info: 2 })).toEqual({
      servicesHandled: 5,
      disputesMediated: 0,
      consultations: 0,
      infoRecorded: 2,
    });
  });
  it('counts the board notices as information published', () => {
    expect(infoPublished(hallFigures({ info: 10 }), { announcements: 3, results: 2 })).toBe(15);
  });
});

describe('spreadTotal', () => {
  it('splits exactly, by weight, with the remainder to the largest fractions', () => {
    expect(spreadTotal(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(spreadTotal(7, [2, 1])).toEqual([5, 2]);
    expect(spreadTotal(0, [1, 2])).toEqual([0, 0]);
  });
  it('adds up to the article figures over many months, deterministically', () => {
    const weights = Array.from({ length: 190 }, (_, i) => slotWeight(i, 3));
    const parts = spreadTotal(52198, weights);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(52198);
    expect(parts.every((p) => p >= 0)).toBe(true);
    expect(spreadTotal(52198, weights)).toEqual(parts);
  });
  it('refuses a negative or fractional total and empty weights', () => {
    expect(() => spreadTotal(-1, [1])).toThrow();
    expect(() => spreadTotal(1.5, [1])).toThrow();
    expect(() => spreadTotal(1, [])).toThrow();
  });
});
