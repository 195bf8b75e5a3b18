import multer from 'multer';
import type { Config } from '../config';

/**
 * One document per request, held in memory (it is stored in PostgreSQL anyway). A file over
 * MAX_DOCUMENT_BYTES stops the upload early and answers 413 PAYLOAD_TOO_LARGE.
 */
export function documentUpload(config: Config) {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.maxDocumentBytes, files: 1, fields: 5, parts: 6 },
    defParamCharset: 'utf8', // Chinese file names arrive as UTF-8
  }).single('file');
}
