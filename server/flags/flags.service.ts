import type { Executor } from '../db/db';
import { Lang, t } from '../http/i18n';
import { Flag, flagDeals } from './flags';
import * as repo from './flags.repository';
import './flags.messages';

export interface FlagJson {
  listingId: string;
  code: string;
  detail: string;
}

/** The flags of the revealed deals in scope, with a readable detail in the caller's language. */
export async function computeFlags(
  db: Executor,
  opts: { townshipId?: string; listingIds?: string[] },
): Promise<Flag[]> {
  const deals = await repo.loadRevealedDeals(db, opts);
  const wins = await repo.loadWins(db, [...new Set(deals.map((d) => d.townshipId))]);
  return flagDeals(deals, wins);
}

export function flagToJson(lang: Lang, f: Flag): FlagJson {
  const params = f.code === 'SHARED_CONTACT' ? { ...f.params, what: t(lang, `flag.what.${f.params.what}`) } : f.params;
  return { listingId: f.listingId, code: f.code, detail: t(lang, `flag.${f.code}`, params) };
}

export async function listFlags(
  db: Executor,
  lang: Lang,
  opts: { townshipId?: string; listingIds?: string[] },
): Promise<FlagJson[]> {
  return (await computeFlags(db, opts)).map((f) => flagToJson(lang, f));
}
