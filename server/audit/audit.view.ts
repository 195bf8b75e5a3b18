import { hasMessage, Lang, t } from '../http/i18n';
import { displayMoney } from '../http/money';
import { displayDateTime } from '../http/time';
import { flagToJson } from '../flags/flags.json';
import type { StoredAuditEntry } from '../trail/trail';
import type { FlaggedDeal } from './auditor.service';
import type { ReviewNote } from './deals';

// View models for the auditor's workspace: money formatted, dates in Asia/Shanghai, labels translated.

export function dealView(lang: Lang, d: FlaggedDeal) {
  return {
    id: d.id,
    code: d.code,
    title: d.title,
    township: d.townshipName,
    townshipId: d.townshipId,
    kindLabel: t(lang, `auditor.kind.${d.kind}`),
    status: d.status,
    statusLabel: t(lang, `auditor.status.${d.status}`),
    basePrice: displayMoney(d.basePrice),
    awardAmount: d.awardAmount ? displayMoney(d.awardAmount) : '',
    awardedAt: displayDateTime(d.awardedAt),
    bidDeadline: displayDateTime(d.bidDeadline),
    reviewed: d.reviewed,
    flags: d.flags.map((f) => flagToJson(lang, f)),
  };
}

export function timelineView(lang: Lang, entries: StoredAuditEntry[]) {
  return entries.map((e) => ({
    ...e,
    actionLabel: hasMessage(`auditor.action.${e.action}`) ? t(lang, `auditor.action.${e.action}`) : e.action,
    // an imported step (seeded history) happened at data.occurredAt and entered the trail at e.at
    atDisplay:
      e.data.imported === true && typeof e.data.occurredAt === 'string'
        ? t(lang, 'auditor.imported', { occurred: displayDateTime(e.data.occurredAt), at: displayDateTime(e.at) })
        : displayDateTime(e.at),
    dataJson: JSON.stringify(e.data),
    shortHash: e.hash.slice(0, 12),
  }));
}

export function noteView(n: ReviewNote) {
  return { ...n, createdDisplay: displayDateTime(n.createdAt) };
}

/** A review note as the API answers it (POST/GET /audit/listings/:id/notes). */
export function noteToJson(n: ReviewNote) {
  return {
    id: n.id,
    listingId: n.listingId,
    text: n.text,
    reviewed: n.reviewed,
    author: n.author,
    createdAt: n.createdAt.toISOString(),
  };
}
