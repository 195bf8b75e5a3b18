import type { Executor, Trx } from '../db/db';
import type { DocumentInfo } from './documents';

const infoColumns = ['id', 'listing_id', 'filename', 'mime_type', 'size_bytes', 'sha256', 'uploaded_at'] as const;
type InfoRow = {
  id: string;
  listing_id: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: Date;
};
const toInfo = (r: InfoRow): DocumentInfo => ({
  id: r.id,
  listingId: r.listing_id,
  filename: r.filename,
  mimeType: r.mime_type,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  uploadedAt: r.uploaded_at,
});

export async function insertDocument(
  trx: Trx,
  d: { listingId: string; filename: string; mimeType: string; content: Buffer; sha256: string; uploadedBy: string },
): Promise<DocumentInfo> {
  const row = await trx
    .insertInto('listing_documents')
    .values({
      listing_id: d.listingId,
      filename: d.filename,
      mime_type: d.mimeType,
      size_bytes: d.content.length,
      content: d.content,
      sha256: d.sha256,
      uploaded_by: d.uploadedBy,
    })
    .returning(infoColumns)
    .executeTakeFirstOrThrow();
  return toInfo(row);
}

export async function listDocuments(db: Executor, listingId: string): Promise<DocumentInfo[]> {
  const rows = await db
    .selectFrom('listing_documents')
    .select(infoColumns)
    .where('listing_id', '=', listingId)
    .orderBy('uploaded_at')
    .execute();
  return rows.map(toInfo);
}

export async function findDocumentContent(
  db: Executor,
  listingId: string,
  docId: string,
): Promise<(DocumentInfo & { content: Buffer }) | undefined> {
  const row = await db
    .selectFrom('listing_documents')
    .select([...infoColumns, 'content'])
    .where('listing_id', '=', listingId)
    .where('id', '=', docId)
    .executeTakeFirst();
  return row ? { ...toInfo(row), content: row.content } : undefined;
}
