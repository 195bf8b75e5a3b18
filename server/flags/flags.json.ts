import { Lang, t } from '../http/i18n';
import type { Flag } from './flags';
import './flags.messages';

export interface FlagJson {
  listingId: string;
  code: string;
  detail: string;
}

/** A flag as the API (GET /audit/flags) and the auditor's pages show it: a readable detail in the caller's language. */
export function flagToJson(lang: Lang, f: Flag): FlagJson {
  const params = f.code === 'SHARED_CONTACT' ? { ...f.params, what: t(lang, `flag.what.${f.params.what}`) } : f.params;
  return { listingId: f.listingId, code: f.code, detail: t(lang, `flag.${f.code}`, params) };
}
