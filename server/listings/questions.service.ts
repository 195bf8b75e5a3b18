import { z } from 'zod';
import type { AppContext } from '../context';
import { appendAudit } from '../trail/append';
import type { AuthUser } from '../http/access';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors';
import { parseInput, text } from '../http/validate';
import { loadListing } from './life';
import { effectiveStatus, isBeforeDeadline } from './status';
import type { Question } from './questions';
import * as repo from './questions.repository';
import './listings.messages';

export const questionInput = z.object({ text: text(1000) });
export const answerInput = z.object({ text: text(5000) });

/**
 * A bidder asks while the listing is published and before its deadline. The asker is not written
 * to the audit trail: who takes an interest in a deal is as sealed as the bids until opening.
 */
export async function askQuestion(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  body: unknown,
): Promise<Question> {
  if (user.role !== 'bidder') throw new ForbiddenError();
  const input = parseInput(questionInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    const status = effectiveStatus(listing, new Date());
    if (!isBeforeDeadline(status)) throw new ConflictError('INVALID_STATE', 'listings.questionsClosed', { status });
    return repo.insertQuestion(trx, { listingId, askerId: user.id, text: input.text });
  });
}

/** Staff of the listing's township answer, once; the answer is public. */
export async function answerQuestion(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  questionId: string,
  body: unknown,
): Promise<Question> {
  if (user.role !== 'staff') throw new ForbiddenError();
  const input = parseInput(answerInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    const question = await repo.lockQuestion(trx, listingId, questionId);
    if (!question) throw new NotFoundError();
    if (question.answer !== null)
      throw new ConflictError('INVALID_STATE', 'listings.alreadyAnswered', { status: 'answered' });
    const answered = await repo.saveAnswer(trx, question.id, { text: input.text, answeredBy: user.id, at: new Date() });
    await appendAudit(trx, {
      actor: user.username,
      action: 'listing.question_answered',
      listingId,
      data: { questionId: question.id, question: question.text, answer: input.text },
    });
    return answered;
  });
}

export async function listVisibleQuestions(
  ctx: AppContext,
  viewer: AuthUser | undefined,
  listingId: string,
): Promise<Question[]> {
  await loadListing(ctx.db, viewer, listingId, { access: 'view' });
  return repo.listQuestions(ctx.db, listingId);
}
