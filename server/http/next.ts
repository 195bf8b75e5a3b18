// Where to go back to after signing in (or registering): a `next` parameter a person carries from
// 我要报价 through the sign-in form. It is taken only as a path on this site — never a scheme, a host,
// a protocol-relative `//host` or a backslash a browser would read as one — so nobody can make our
// sign-in page send a person elsewhere (an open redirect).

const LOCAL = 'http://same-origin.invalid';
const MAX_LENGTH = 512;
/** Pages that must not be the way back: going there after signing in is a loop or undoes it. */
const NOT_BACK = /^\/(login|register|logout)(\/|$|\?)/;

/** The same-origin relative address to return to, or undefined if the value is not one. */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  // backslashes and control characters (tabs and newlines are dropped by URL parsers) are refused outright
  if (value.includes('\\') || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return undefined;
  let url: URL;
  try {
    url = new URL(value, LOCAL);
  } catch {
    return undefined;
  }
  if (url.origin !== LOCAL) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return NOT_BACK.test(path) ? undefined : path;
}

/** `/login?next=…` for a page a signed-out person wanted. */
export function loginPathFor(next: string | undefined, page: 'login' | 'register' = 'login'): string {
  const safe = safeNext(next);
  return safe ? `/${page}?next=${encodeURIComponent(safe)}` : `/${page}`;
}
