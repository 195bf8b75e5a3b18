import type { AppContext } from '../context';
import { isId } from '../http/access';
import { NotFoundError } from '../http/errors';
import type { Township } from '../townships/townships';
import { findTownship, listTownships } from '../townships/townships.service';
import { cachedRead, defineRead } from '../cache/cache';

const TOWNSHIPS = defineRead('townships', ['townships']);

/** Every township, from the read cache: public reads resolve their scope without a query. */
export async function allTownships(ctx: AppContext): Promise<Township[]> {
  return (await cachedRead(ctx, TOWNSHIPS, 'townships:all', () => listTownships(ctx))).value;
}

/**
 * Where a public read looks: one township (?townshipId=), one district (?district=) or everything.
 * Shared by the board, the hall figures, the exports and the open data.
 */
export interface Scope {
  townshipId: string | null;
  district: string | null;
  /** the townships in scope, for names and labels */
  townships: Township[];
}

function queryText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return v === '' ? null : v;
}

/** An unknown or malformed township id is 404 NOT_FOUND; an unknown district is simply empty. */
export async function resolveScope(ctx: AppContext, query: Record<string, unknown>): Promise<Scope> {
  const townshipId = queryText(query.townshipId);
  const district = queryText(query.district);
  const all = await allTownships(ctx);
  if (townshipId) {
    // a township created a moment ago on another instance may not be in the cached list yet
    const township = isId(townshipId)
      ? (all.find((t) => t.id === townshipId.toLowerCase()) ?? (await findTownship(ctx, townshipId)))
      : undefined;
    if (!township) throw new NotFoundError();
    return { townshipId: township.id, district: null, townships: [township] };
  }
  return { townshipId: null, district, townships: district ? all.filter((t) => t.district === district) : all };
}

/** The township ids to filter on, or null for "all townships". */
export function scopeTownshipIds(scope: Scope): string[] | null {
  if (scope.townshipId) return [scope.townshipId];
  if (scope.district) return scope.townships.map((t) => t.id);
  return null;
}

export function scopeKey(scope: Scope): string {
  return scope.townshipId ? `t:${scope.townshipId}` : scope.district ? `d:${scope.district}` : 'all';
}
