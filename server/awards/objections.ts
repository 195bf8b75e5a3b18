/** 异议: a bidder's objection to an award under publicity, and the township's answer. */
export interface Objection {
  id: string;
  listingId: string;
  bidderId: string;
  bidderName: string;
  text: string;
  status: 'open' | 'answered';
  createdAt: Date;
  answer: string | null;
  answeredAt: Date | null;
}

/** An objection as its own table holds it: everything but the bidder's name. */
export type StoredObjection = Omit<Objection, 'bidderName'>;

/** The API's objection object, as API.md has it. */
export function objectionToJson(o: Objection) {
  return {
    id: o.id,
    status: o.status,
    text: o.text,
    bidderId: o.bidderId,
    bidderName: o.bidderName,
    createdAt: o.createdAt.toISOString(),
    answer: o.answer,
    answeredAt: o.answeredAt ? o.answeredAt.toISOString() : null,
  };
}
