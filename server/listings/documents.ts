/**
 * What a document really is, from its first bytes (the name and the browser's Content-Type are
 * whatever the uploader says). Only PDFs and common images are kept.
 */
export type DocumentType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export function sniffDocumentType(b: Buffer): DocumentType | null {
  const starts = (sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'image/gif'; // GIF87a / GIF89a
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'; // RIFF....WEBP
  return null;
}

const EXTENSION: Record<DocumentType, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
};

/** A safe file name to store and send back: no path, no control characters, a fitting extension. */
export function cleanFileName(original: string, type: DocumentType): string {
  const base = original
    .split(/[\\/]/)
    .pop()!
    // control characters are exactly what must not reach a Content-Disposition header
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 150);
  const name = base || 'document';
  const ext = EXTENSION[type];
  const hasFittingExt = type === 'image/jpeg' ? /\.jpe?g$/i.test(name) : name.toLowerCase().endsWith(ext);
  return hasFittingExt ? name : `${name}${ext}`;
}

/** A document attached to a listing, without its bytes. */
export interface DocumentInfo {
  id: string;
  listingId: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: Date;
}
