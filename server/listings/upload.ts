import multer from 'multer';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { AppError, BadRequestError } from '../http/errors';

/**
 * One document per request, held in memory (it is stored in PostgreSQL anyway). A file over
 * MAX_DOCUMENT_BYTES stops the upload early and answers 413 PAYLOAD_TOO_LARGE; any other refusal
 * by multer or the multipart parser under it (a broken body, a missing boundary) is 400 BAD_REQUEST.
 */
export function documentUpload(config: Config): RequestHandler {
  const receive = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.maxDocumentBytes, files: 1, fields: 5, parts: 6 },
    defParamCharset: 'utf8', // Chinese file names arrive as UTF-8
  }).single('file');
  return (req, res, next) => receive(req, res, (err?: unknown) => next(err ? uploadError(err) : undefined));
}

function uploadError(err: unknown): AppError {
  return (err as { code?: string }).code === 'LIMIT_FILE_SIZE'
    ? new AppError(413, 'PAYLOAD_TOO_LARGE')
    : new BadRequestError();
}
