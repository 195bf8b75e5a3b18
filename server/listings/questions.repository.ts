import type { Executor, Trx } from '../db/db';
import type { Question } from './questions';

const columns = ['id', 'listing_id', 'text', 'answer', 'asked_at', 'answered_at'] as const;
type Row = {
  id: string;
  listing_id: string;
  text: string;
  answer: string | null;
  asked_at: Date;
  answered_at: Date | null;
};
const toQuestion = (r: Row): Question => ({
  id: r.id,
  listingId: r.listing_id,
  text: r.text,
  answer: r.answer,
  askedAt: r.asked_at,
  answeredAt: r.answered_at,
});

export async function insertQuestion(
  trx: Trx,
  q: { listingId: string; askerId: string; text: string },
): Promise<Question> {
  const row = await trx
    .insertInto('questions')
    .values({ listing_id: q.listingId, asker_id: q.askerId, text: q.text })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toQuestion(row);
}

export async function lockQuestion(trx: Trx, listingId: string, id: string): Promise<Question | undefined> {
  const row = await trx
    .selectFrom('questions')
    .select(columns)
    .where('listing_id', '=', listingId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toQuestion(row) : undefined;
}

export async function saveAnswer(
  trx: Trx,
  id: string,
  a: { text: string; answeredBy: string; at: Date },
): Promise<Question> {
  const row = await trx
    .updateTable('questions')
    .set({ answer: a.text, answered_by: a.answeredBy, answered_at: a.at })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toQuestion(row);
}

export async function listQuestions(db: Executor, listingId: string): Promise<Question[]> {
  const rows = await db
    .selectFrom('questions')
    .select(columns)
    .where('listing_id', '=', listingId)
    .orderBy('asked_at')
    .orderBy('id')
    .execute();
  return rows.map(toQuestion);
}
