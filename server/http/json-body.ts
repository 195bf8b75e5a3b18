import express from 'express';
import type { RequestHandler } from 'express';
import { BadRequestError } from './errors';

/**
 * JSON request bodies, parsed so that a number keeps what its text said.
 *
 * JSON.parse turns `1e3` into 1000 and `100.000` into 100, after which an amount check cannot tell
 * them from `1000` and `100`; API.md refuses an amount in exponent form or with more than two
 * decimals "like the same string". So, before parsing, every number literal written that way (outside
 * strings) is put in quotes: it arrives as the string it was, and parseMoney refuses it with
 * INVALID_AMOUNT exactly as it refuses "1e3". A field that wants a plain number (a count, a term in
 * months) then sees a string and answers 400 BAD_REQUEST, which is right for `36.000` months too.
 * Bodies without such a literal (nearly all) go straight to JSON.parse.
 */
const MAYBE_LOSSY = /\d[eE]|\.\d{3}/;
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const LOSSY_NUMBER = /[eE]|\.\d{3}/;

export function parseJsonKeepingNumberText(text: string): unknown {
  const source = MAYBE_LOSSY.test(text)
    ? text.replace(TOKEN, (token) => (token[0] !== '"' && LOSSY_NUMBER.test(token) ? `"${token}"` : token))
    : text;
  return JSON.parse(source);
}

/** Like express.json (objects and arrays only, 1 MB), with the number rule above. */
export function jsonBody(limit = '1mb'): RequestHandler[] {
  return [
    express.text({ type: ['application/json', 'application/*+json'], limit, defaultCharset: 'utf-8' }),
    (req, _res, next) => {
      if (typeof req.body !== 'string') return next();
      const text = req.body.trim();
      if (text === '') {
        req.body = {};
        return next();
      }
      if (text[0] !== '{' && text[0] !== '[') return next(new BadRequestError('error.BAD_REQUEST.json'));
      try {
        req.body = parseJsonKeepingNumberText(text);
      } catch {
        return next(new BadRequestError('error.BAD_REQUEST.json'));
      }
      next();
    },
  ];
}
