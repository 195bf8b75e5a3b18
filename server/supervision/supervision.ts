/**
 * Electronic supervision (电子监察), as pure functions.
 *
 * Each step of a deal has a time limit from the township's rules:
 *   open       — open the bids within openWithinHours (clock hours) after the bid deadline;
 *   award      — record the award within awardWithinDays WORKING days after opening;
 *   objection  — answer an objection within 3 WORKING days after it was lodged;
 *   contract   — record the contract within contractWithinDays (calendar) days after publicity ends.
 * Levels, measured in the limit's own unit (working time for working-day limits, see calendar.ts):
 *   warning — 80 % of the limit has passed;
 *   yellow  — overdue (past the due time);
 *   red     — overdue by as much again as the limit (twice the limit has passed), or at once when
 *             the limit is zero.
 * A step stops being watched when it is done (completedAt); only pending steps raise alerts.
 */
import { addWorkingDays, DAY_MS, HOUR_MS, WorkingCalendar } from '../calendar/calendar';
import { AuthUser, isId } from '../http/access';
import { ForbiddenError, NotFoundError } from '../http/errors';

export type Step = 'open' | 'award' | 'objection' | 'contract';
export type Level = 'warning' | 'yellow' | 'red';
export const LEVELS: readonly Level[] = ['warning', 'yellow', 'red'];
export const OBJECTION_ANSWER_WORKING_DAYS = 3;
export const WARNING_FRACTION = 0.8;

export type Limit = { unit: 'hours' | 'days' | 'workingDays'; amount: number };

export interface StepInstance {
  listingId: string;
  townshipId: string;
  step: Step;
  startedAt: Date;
  completedAt: Date | null;
  limit: Limit;
  /** the objection's id for objection steps */
  ref?: string;
}

export interface Milestones {
  warningAt: Date;
  dueAt: Date;
  redAt: Date;
}

/** The moment a share of the limit has elapsed, in the limit's own unit. */
function afterShare(start: Date, limit: Limit, share: number, cal: WorkingCalendar): Date {
  if (limit.unit === 'workingDays') return addWorkingDays(start, limit.amount * share, cal);
  const unitMs = limit.unit === 'hours' ? HOUR_MS : DAY_MS;
  return new Date(+start + Math.round(limit.amount * share * unitMs));
}

export function milestones(start: Date, limit: Limit, cal: WorkingCalendar): Milestones {
  return {
    warningAt: afterShare(start, limit, WARNING_FRACTION, cal),
    dueAt: afterShare(start, limit, 1, cal),
    redAt: afterShare(start, limit, 2, cal),
  };
}

/** The level of a pending step at `now`, or null when it is within its first 80 %. */
export function levelAt(m: Milestones, now: Date): Level | null {
  if (now > m.dueAt) return now >= m.redAt ? 'red' : 'yellow';
  // with a zero limit warningAt = dueAt: nothing until overdue, then red at once
  if (now >= m.warningAt && m.warningAt < m.dueAt) return 'warning';
  return null;
}

/**
 * The instants a step entered each level. A zero limit goes straight to red. A level reached only
 * after the step was completed (or not yet reached) is absent.
 */
export function levelCrossings(inst: StepInstance, cal: WorkingCalendar, now: Date): { level: Level; at: Date }[] {
  const m = milestones(inst.startedAt, inst.limit, cal);
  const end = inst.completedAt && inst.completedAt < now ? inst.completedAt : now;
  const out: { level: Level; at: Date }[] = [];
  const zero = inst.limit.amount === 0;
  if (!zero && m.warningAt < m.dueAt && m.warningAt <= end) out.push({ level: 'warning', at: m.warningAt });
  if (!zero && m.dueAt < end) out.push({ level: 'yellow', at: m.dueAt });
  if (m.redAt < end || (zero && m.dueAt < end)) out.push({ level: 'red', at: m.redAt });
  return out;
}

export interface Alert {
  listingId: string;
  townshipId: string;
  step: Step;
  dueAt: Date;
  level: Level;
  ref?: string;
}

/** Alerts for the pending steps at `now`, worst first, then soonest due. */
export function alertsAt(instances: StepInstance[], cal: WorkingCalendar, now: Date): Alert[] {
  const alerts: Alert[] = [];
  for (const inst of instances) {
    if (inst.completedAt) continue;
    const m = milestones(inst.startedAt, inst.limit, cal);
    const level = levelAt(m, now);
    if (level)
      alerts.push({
        listingId: inst.listingId,
        townshipId: inst.townshipId,
        step: inst.step,
        dueAt: m.dueAt,
        level,
        ...(inst.ref ? { ref: inst.ref } : {}),
      });
  }
  const rank = (l: Level) => LEVELS.indexOf(l);
  return alerts.sort((a, b) => rank(b.level) - rank(a.level) || +a.dueAt - +b.dueAt);
}

/** The facts about one deal that decide which steps it has and when each started and ended. */
export interface DealFacts {
  listingId: string;
  townshipId: string;
  state: 'draft' | 'published' | 'opened' | 'failed' | 'awarded' | 'concluded' | 'cancelled';
  bidDeadline: Date;
  openedAt: Date | null;
  failedAt: Date | null;
  cancelledAt: Date | null;
  concludedAt: Date | null;
  awardedAt: Date | null;
  publicityEndsAt: Date | null;
  contractRecordedAt: Date | null;
  objections: { id: string; createdAt: Date; answeredAt: Date | null }[];
}

export interface StepRules {
  openWithinHours: number;
  awardWithinDays: number;
  contractWithinDays: number;
}

const firstOf = (...ds: (Date | null)[]): Date | null => ds.find((d): d is Date => d !== null) ?? null;

/** Every step instance a deal has had or has now, with its limit. */
export function stepsOfDeal(d: DealFacts, rules: StepRules): StepInstance[] {
  const base = { listingId: d.listingId, townshipId: d.townshipId };
  const steps: StepInstance[] = [];
  if (d.state === 'draft') return steps;
  // opening: starts at the deadline; a listing cancelled before its deadline never had the step
  const cancelledBeforeDeadline = d.cancelledAt !== null && d.cancelledAt < d.bidDeadline && d.openedAt === null;
  if (!cancelledBeforeDeadline) {
    const done =
      d.state === 'published'
        ? null
        : (firstOf(d.openedAt, d.failedAt, d.cancelledAt, d.awardedAt, d.concludedAt) ?? d.bidDeadline);
    steps.push({
      ...base,
      step: 'open',
      startedAt: d.bidDeadline,
      completedAt: done,
      limit: { unit: 'hours', amount: rules.openWithinHours },
    });
  }
  if (d.openedAt) {
    const done =
      d.state === 'opened' ? null : (firstOf(d.awardedAt, d.failedAt, d.cancelledAt, d.concludedAt) ?? d.openedAt);
    steps.push({
      ...base,
      step: 'award',
      startedAt: d.openedAt,
      completedAt: done,
      limit: { unit: 'workingDays', amount: rules.awardWithinDays },
    });
  }
  if (d.publicityEndsAt) {
    const done =
      d.state === 'awarded' && !d.contractRecordedAt
        ? null
        : (firstOf(d.contractRecordedAt, d.concludedAt, d.cancelledAt) ?? d.publicityEndsAt);
    steps.push({
      ...base,
      step: 'contract',
      startedAt: d.publicityEndsAt,
      completedAt: done,
      limit: { unit: 'days', amount: rules.contractWithinDays },
    });
  }
  for (const o of d.objections) {
    steps.push({
      ...base,
      step: 'objection',
      ref: o.id,
      startedAt: o.createdAt,
      completedAt: o.answeredAt,
      limit: { unit: 'workingDays', amount: OBJECTION_ANSWER_WORKING_DAYS },
    });
  }
  return steps;
}

/**
 * Which township a caller may watch: auditors and admins any (or all), staff only their own,
 * bidders none. A malformed id names no township.
 */
export function alertScope(user: AuthUser, raw: unknown): string | undefined {
  if (user.role === 'bidder') throw new ForbiddenError();
  const given = raw === undefined || raw === '' ? undefined : raw;
  if (user.role === 'staff') {
    if (given !== undefined && given !== user.townshipId) throw new ForbiddenError('error.FORBIDDEN.township');
    return user.townshipId ?? undefined;
  }
  if (given === undefined) return undefined;
  if (!isId(given)) throw new NotFoundError();
  return given;
}
