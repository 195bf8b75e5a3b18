import { sql } from 'kysely';
import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../server/db/db';
import { csrfFrom } from './context';

/** One route as Express knows it: `GET /listings/:id` (the API ones without the /api/v1 prefix). */
export interface RouteEntry {
  method: string;
  path: string;
  key: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
  match?(path: string): boolean;
}

function routesIn(stack: Layer[]): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const m of Object.keys(layer.route.methods)) {
        if (m === '_all') continue;
        const method = m.toUpperCase();
        out.push({ method, path: layer.route.path, key: `${method} ${layer.route.path}` });
      }
    } else if (layer.handle?.stack) {
      out.push(...routesIn(layer.handle.stack));
    }
  }
  return out;
}

function topStack(app: Express): Layer[] {
  return (app as unknown as { router: { stack: Layer[] } }).router.stack;
}

function isApiMount(layer: Layer): boolean {
  if (!layer.handle?.stack || layer.slash) return false;
  return layer.rawPath === '/api/v1' || (layer.rawPath === undefined && !!layer.match?.('/api/v1'));
}

/** Every API route (method + path under /api/v1), found by walking the app's router stack. */
export function listApiRoutes(app: Express): RouteEntry[] {
  const mount = topStack(app).find(isApiMount);
  if (!mount) throw new Error('no router mounted at /api/v1');
  return routesIn(mount.handle!.stack!);
}

/** Every page route: routes of the routers mounted at '/' plus the app's own (like /healthz). */
export function listPageRoutes(app: Express): RouteEntry[] {
  return routesIn(topStack(app).filter((l) => !isApiMount(l)));
}

/** Fills `:name` segments from the given values (throws on a missing one: the test must know it). */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    if (params[name] === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}

/**
 * Tables whose content a refused request must leave alone. Left out on purpose: login_failures
 * (a refused login is recorded by design), sessions (page visits touch them), api_tokens.
 */
const WATCHED = [
  'townships',
  'township_rules',
  'users',
  'app_secrets',
  'audit',
  'listing_code_counters',
  'listings',
  'listing_documents',
  'questions',
  'registrations',
  'bids',
  'awards',
  'objections',
  'contracts',
  'notifications',
  'hall_entries',
  'calendar_days',
  'review_notes',
] as const;

/**
 * One cheap SELECT: per watched table its row count and an md5 over its rows' text, plus the audit
 * head. Any insert, update or delete shows up as a difference.
 */
export async function snapshotDatabase(db: Db): Promise<Record<string, string>> {
  const parts = WATCHED.map(
    (t) =>
      `(SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x) AS ${t}`,
  );
  parts.push(
    `(SELECT coalesce(max(seq)::text || ':' || max(hash), 'empty') FROM audit WHERE seq = (SELECT max(seq) FROM audit)) AS audit_head`,
  );
  const { rows } = await sql<Record<string, string>>`${sql.raw(`SELECT ${parts.join(', ')}`)}`.execute(db);
  return rows[0];
}

/** A signed-in page session for the user: an agent carrying the session cookie (also given bare), and its CSRF token. */
export async function signIn(app: Express, user: { username: string; password: string }) {
  const agent = request.agent(app);
  const form = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), username: user.username, password: user.password });
  if (res.status !== 303) throw new Error(`sign-in of ${user.username} answered ${res.status}`);
  const cookie =
    ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('tts.sid='))
      ?.split(';')[0] ?? '';
  // the token lives in the session, which was regenerated at sign-in: read it from a page
  const page = await agent.get('/').expect(200);
  return { agent, cookie, csrf: csrfFrom(page.text) };
}
