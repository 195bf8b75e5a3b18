/** A public question: the asker is stored (for abuse handling) but never read back out here. */
export interface Question {
  id: string;
  listingId: string;
  text: string;
  answer: string | null;
  askedAt: Date;
  answeredAt: Date | null;
}
