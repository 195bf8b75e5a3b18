import { signInDelayMs } from '../../server/accounts/accounts';
import { loadConfig } from '../../server/config';

describe('signInDelayMs', () => {
  const slow = { after: 5, baseMs: 1000, maxMs: 8000 };
  it('waits nothing before `after` failures, then doubles from the base up to the cap', () => {
    expect([0, 4, 5, 6, 7, 8, 9, 50, 10_000].map((n) => signInDelayMs(n, slow))).toEqual([
      0, 0, 1000, 2000, 4000, 8000, 8000, 8000, 8000,
    ]);
  });
});

describe('login limit settings', () => {
  it('default to 5 per username and address, 20 per address, slowing from the 5th failure of a username', () => {
    expect(loadConfig({}).loginLimit).toEqual({
      windowMinutes: 15,
      perUsernameAndAddress: 5,
      perAddress: 20,
      slowAfter: 5,
      slowBaseMs: 1000,
      slowMaxMs: 8000,
    });
  });
  it('still read LOGIN_LIMIT_PER_USERNAME (the older name) for the pair', () => {
    expect(loadConfig({ LOGIN_LIMIT_PER_USERNAME: '3' }).loginLimit.perUsernameAndAddress).toBe(3);
    expect(
      loadConfig({ LOGIN_LIMIT_PER_USERNAME: '3', LOGIN_LIMIT_PER_USERNAME_AND_ADDRESS: '7' }).loginLimit
        .perUsernameAndAddress,
    ).toBe(7);
  });
});
