import crypto from 'node:crypto';
import type { Db, Executor } from '../db/db';
import { appendAudit } from '../trail/append';
import type { AuthUser } from '../http/access';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import { cleanFileName, sniffDocumentType } from './documents';
import * as docs from './documents.repository';
import { loadListing } from './life';
import './listings.messages';

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

/** Staff attach documents while the listing is a draft or published (before opening). */
export async function addDocument(
  db: Db,
  user: AuthUser,
  listingId: string,
  file: UploadedFile | undefined,
): Promise<docs.DocumentInfo> {
  if (user.role !== 'staff') throw new ForbiddenError();
  return db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    if (listing.state !== 'draft' && listing.state !== 'published')
      throw new ConflictError('INVALID_STATE', 'error.INVALID_STATE', { status: listing.state });
    if (!file || file.buffer.length === 0) throw new ValidationError({ file: { key: 'listings.documentRequired' } });
    const type = sniffDocumentType(file.buffer);
    if (!type) throw new ValidationError({ file: { key: 'listings.documentType' } });
    const sha256 = crypto.createHash('sha256').update(file.buffer).digest('hex');
    const doc = await docs.insertDocument(trx, {
      listingId,
      filename: cleanFileName(file.originalname, type),
      mimeType: type,
      content: file.buffer,
      sha256,
      uploadedBy: user.id,
    });
    await appendAudit(trx, {
      actor: user.username,
      action: 'listing.document_added',
      listingId,
      data: { documentId: doc.id, filename: doc.filename, mimeType: type, sizeBytes: doc.sizeBytes, sha256 },
    });
    return doc;
  });
}

export async function listVisibleDocuments(
  db: Executor,
  viewer: AuthUser | undefined,
  listingId: string,
): Promise<docs.DocumentInfo[]> {
  await loadListing(db, viewer, listingId, { access: 'view' });
  return docs.listDocuments(db, listingId);
}

export async function readVisibleDocument(
  db: Executor,
  viewer: AuthUser | undefined,
  listingId: string,
  docId: string,
) {
  await loadListing(db, viewer, listingId, { access: 'view' });
  const doc = await docs.findDocumentContent(db, listingId, docId);
  if (!doc) throw new NotFoundError();
  return doc;
}

export function documentToJson(d: docs.DocumentInfo) {
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
