import type { DocumentInfo } from './documents';
import type { Question } from './questions';

// The API's answers for a listing's documents and questions (the listing itself: listingToJson in listings.ts).

export function documentToJson(d: DocumentInfo) {
  return {
    id: d.id,
    listingId: d.listingId,
    filename: d.filename,
    mimeType: d.mimeType,
    sizeBytes: d.sizeBytes,
    sha256: d.sha256,
    uploadedAt: d.uploadedAt.toISOString(),
  };
}

export function questionToJson(q: Question) {
  return {
    id: q.id,
    text: q.text,
    answer: q.answer,
    askedAt: q.askedAt.toISOString(),
    answeredAt: q.answeredAt ? q.answeredAt.toISOString() : null,
  };
}
