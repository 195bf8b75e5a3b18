import crypto from 'node:crypto';
import type { AppContext } from '../context';
import { appendAudit } from '../trail/append';
import type { AuthUser } from '../http/access';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import { cleanFileName, DocumentInfo, sniffDocumentType } from './documents';
import * as docs from './documents.repository';
import { loadListing } from './life';
import './listings.messages';

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

/** Staff attach documents while the listing is a draft or published (before opening). */
export async function addDocument(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  file: UploadedFile | undefined,
): Promise<DocumentInfo> {
  if (user.role !== 'staff') throw new ForbiddenError();
  return ctx.db.transaction().execute(async (trx) => {
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
  ctx: AppContext,
  viewer: AuthUser | undefined,
  listingId: string,
): Promise<DocumentInfo[]> {
  await loadListing(ctx.db, viewer, listingId, { access: 'view' });
  return docs.listDocuments(ctx.db, listingId);
}

export async function readVisibleDocument(
  ctx: AppContext,
  viewer: AuthUser | undefined,
  listingId: string,
  docId: string,
) {
  await loadListing(ctx.db, viewer, listingId, { access: 'view' });
  const doc = await docs.findDocumentContent(ctx.db, listingId, docId);
  if (!doc) throw new NotFoundError();
  return doc;
}
