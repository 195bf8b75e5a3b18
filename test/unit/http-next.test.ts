import { loginPathFor, safeNext } from '../../server/http/next';

describe('safeNext: only a path on this site', () => {
  it.each([
    ['/listings/0b4e7f8e-1c1a-4c5b-9a52-7f1f2c3d4e5f/bid', '/listings/0b4e7f8e-1c1a-4c5b-9a52-7f1f2c3d4e5f/bid'],
    ['/listings?kind=lease&page=2', '/listings?kind=lease&page=2'],
    ['/listings/x#questions', '/listings/x#questions'],
    ['/board/../staff', '/staff'],
    // an encoded newline stays encoded: a path on this site, never a host
    ['/%0a/evil', '/%0a/evil'],
  ])('keeps %s', (input, kept) => {
    expect(safeNext(input)).toBe(kept);
  });

  it.each([
    'https://evil.example/',
    'http:evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    'listings/1',
    '',
    '/login?next=/login',
    '/register',
    '/logout',
    `/${'a'.repeat(600)}`,
    undefined,
    ['/a', '/b'],
    42,
  ])('refuses %p', (input) => {
    expect(safeNext(input)).toBeUndefined();
  });

  it('builds the sign-in address with the way back encoded', () => {
    expect(loginPathFor('/listings/1/bid')).toBe('/login?next=%2Flistings%2F1%2Fbid');
    expect(loginPathFor('//evil.example')).toBe('/login');
    expect(loginPathFor('/listings/1/bid', 'register')).toBe('/register?next=%2Flistings%2F1%2Fbid');
  });
});
