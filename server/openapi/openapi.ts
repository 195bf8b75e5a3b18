import { OpenAPIRegistry, OpenApiGeneratorV31, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z, ZodTypeAny } from 'zod';
import { bidderInput, userInput } from '../accounts/accounts.service';
import { reviewNoteInput } from '../audit/auditor.service';
import { awardInput, contractInput } from '../awards/awards.service';
import { textInput } from '../awards/objections.service';
import { calendarDayInput } from '../calendar/calendar.service';
import { entryInput } from '../hall/hall.service';
import { cancelInput, searchInput, termsInput } from '../listings/listings.service';
import { answerInput, questionInput } from '../listings/questions.service';
import { filterInput } from '../stats/stats';
import { rulesInput, townshipInput } from '../townships/townships.service';
import * as s from './openapi.schemas';

/**
 * GET /api/v1/openapi.json: the OpenAPI 3.1 document of every endpoint of API.md, built from the zod
 * schemas the routes validate requests with (termsInput, searchInput, rulesInput …) and the answer
 * schemas of openapi.schemas.ts. Every operation also answers the one error body (API.md "Errors").
 * test/openapi/ checks that every API route is here and every answer the integration suite sees fits.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Op {
  summary: string;
  /** public unless a role is named */
  roles?: string;
  body?: ZodTypeAny;
  query?: z.AnyZodObject;
  /** success status → JSON schema, null for no body, or a media type for files and streams */
  ok: Record<number, ZodTypeAny | null | { type: string }>;
}

const money = (shape: Record<string, ZodTypeAny>) => shape;
const listingCreate = termsInput.extend(
  money({ basePrice: s.MoneyIn, depositAmount: s.MoneyIn.optional(), increment: s.MoneyIn.nullish() }),
);
const listingCreateBody = listingCreate.extend({ townshipId: s.Id.optional() });
const bandBody = z.object({ minAmount: s.MoneyIn, maxAmount: s.MoneyIn, minValidBids: z.number().int() });
const rulesBody = rulesInput.extend({ procurement: bandBody, lease: bandBody });
const amountBody = z.object({ amount: s.MoneyIn });
const passwordBody = z.object({ password: z.string() }).partial();
const tokenBody = z.object({ username: z.string(), password: z.string() });
const auditQuery = z.object({ listingId: z.string(), size: z.string(), root: z.string() }).partial();
const townshipQuery = z.object({ townshipId: z.string(), district: z.string() }).partial();
const file = (type: string) => ({ type });
const list = (schema: ZodTypeAny) => z.array(schema);

const OPERATIONS: [Method, string, Op][] = [
  // accounts
  ['post', '/auth/token', { summary: 'Sign in: a bearer token', body: tokenBody, ok: { 200: s.AnyObject } }],
  ['delete', '/auth/token', { summary: 'Sign out: the token stops working', roles: 'any', ok: { 204: null } }],
  ['get', '/me', { summary: 'Who the token belongs to', roles: 'any', ok: { 200: s.User } }],
  ['post', '/bidders', { summary: 'Bidder sign-up', body: bidderInput, ok: { 201: s.NewBidder } }],
  ['post', '/users', { summary: 'Create a user', roles: 'admin', body: userInput, ok: { 201: s.User } }],
  ['get', '/users', { summary: 'Every user', roles: 'admin', ok: { 200: list(s.User) } }],
  // townships
  [
    'get',
    '/townships',
    { summary: 'Townships', query: z.object({ district: z.string() }).partial(), ok: { 200: list(s.Township) } },
  ],
  [
    'post',
    '/townships',
    { summary: 'Create a township', roles: 'admin', body: townshipInput, ok: { 201: s.Township } },
  ],
  ['get', '/townships/{id}', { summary: 'One township', ok: { 200: s.Township } }],
  ['get', '/townships/{id}/rules', { summary: 'A township’s rules', ok: { 200: s.Rules } }],
  [
    'put',
    '/townships/{id}/rules',
    { summary: 'Replace the rules', roles: 'admin', body: rulesBody, ok: { 200: s.Rules } },
  ],
  // listings
  ['post', '/listings', { summary: 'Create a draft', roles: 'staff', body: listingCreateBody, ok: { 201: s.Listing } }],
  [
    'get',
    '/listings',
    {
      summary: 'Search listings',
      query: searchInput,
      ok: { 200: z.object({ items: list(s.Listing), total: z.number().int() }).passthrough() },
    },
  ],
  ['get', '/listings/{id}', { summary: 'One listing', ok: { 200: s.Listing } }],
  [
    'patch',
    '/listings/{id}',
    { summary: 'Edit a draft', roles: 'staff', body: listingCreate.partial(), ok: { 200: s.Listing } },
  ],
  ['post', '/listings/{id}/publish', { summary: 'Publish', roles: 'staff', ok: { 200: s.Listing } }],
  ['post', '/listings/{id}/cancel', { summary: 'Cancel', roles: 'staff', body: cancelInput, ok: { 200: s.Listing } }],
  [
    'post',
    '/listings/{id}/relist',
    { summary: 'Relist a failed or cancelled deal', roles: 'staff', ok: { 201: s.Listing } },
  ],
  [
    'post',
    '/listings/{id}/documents',
    { summary: 'Attach a document (multipart field "file")', roles: 'staff', ok: { 201: s.Document } },
  ],
  ['get', '/listings/{id}/documents', { summary: 'A listing’s documents', ok: { 200: list(s.Document) } }],
  [
    'get',
    '/listings/{id}/documents/{docId}',
    { summary: 'Download a document', ok: { 200: file('application/octet-stream') } },
  ],
  [
    'post',
    '/listings/{id}/questions',
    { summary: 'Ask (答疑)', roles: 'bidder', body: questionInput, ok: { 201: s.Question } },
  ],
  [
    'post',
    '/listings/{id}/questions/{qid}/answer',
    { summary: 'Answer a question', roles: 'staff', body: answerInput, ok: { 200: s.Question } },
  ],
  ['get', '/listings/{id}/questions', { summary: 'Questions and answers', ok: { 200: list(s.Question) } }],
  // registrations and sealed bids
  [
    'post',
    '/listings/{id}/registrations',
    { summary: 'Register (报名)', roles: 'bidder', ok: { 201: s.Registration } },
  ],
  [
    'post',
    '/listings/{id}/registrations/{regId}/confirm',
    { summary: 'Deposit received', roles: 'staff', ok: { 200: s.Registration } },
  ],
  [
    'post',
    '/listings/{id}/registrations/{regId}/refund',
    { summary: 'Deposit returned', roles: 'staff', ok: { 200: s.AnyObject } },
  ],
  [
    'get',
    '/listings/{id}/registrations',
    { summary: 'Registrations', roles: 'staff, auditor, admin', ok: { 200: list(s.Registration) } },
  ],
  [
    'post',
    '/listings/{id}/bids',
    { summary: 'Submit a sealed bid', roles: 'bidder', body: amountBody, ok: { 201: s.OwnBid } },
  ],
  ['get', '/listings/{id}/bids/mine', { summary: 'Own live bid', roles: 'bidder', ok: { 200: s.OwnBid } }],
  ['delete', '/listings/{id}/bids/mine', { summary: 'Withdraw own bid', roles: 'bidder', ok: { 204: null } }],
  [
    'get',
    '/listings/{id}/bids',
    { summary: 'Opened bids (409 SEALED before)', roles: 'staff, auditor, admin', ok: { 200: list(s.OpenedBid) } },
  ],
  [
    'post',
    '/listings/{id}/open',
    { summary: 'Open the bids (or close an auction)', roles: 'staff', body: passwordBody, ok: { 200: s.Opening } },
  ],
  ['get', '/listings/{id}/seal', { summary: 'The sealing public key', ok: { 200: s.AnyObject } }],
  [
    'post',
    '/listings/{id}/opening-shares',
    { summary: 'A key holder’s share', roles: 'staff, auditor', body: passwordBody, ok: { 200: s.AnyObject } },
  ],
  // auctions
  ['get', '/listings/{id}/auction', { summary: 'The auction room', ok: { 200: s.AuctionRoom } }],
  ['get', '/listings/{id}/auction/events', { summary: 'Live auction events', ok: { 200: file('text/event-stream') } }],
  [
    'post',
    '/listings/{id}/auction/bids',
    { summary: 'Bid in an auction', roles: 'bidder', body: amountBody, ok: { 201: s.AuctionBid } },
  ],
  // awards
  ['post', '/listings/{id}/award', { summary: 'Award (成交)', roles: 'staff', body: awardInput, ok: { 201: s.Award } }],
  ['get', '/listings/{id}/award', { summary: 'The award', ok: { 200: s.Award } }],
  [
    'post',
    '/listings/{id}/objections',
    { summary: 'Object during publicity', roles: 'bidder', body: textInput, ok: { 201: s.Objection } },
  ],
  ['get', '/listings/{id}/objections', { summary: 'Objections', roles: 'any', ok: { 200: list(s.Objection) } }],
  [
    'post',
    '/listings/{id}/objections/{oid}/answer',
    { summary: 'Answer an objection', roles: 'staff', body: textInput, ok: { 200: s.Objection } },
  ],
  [
    'post',
    '/listings/{id}/contract',
    {
      summary: 'Record the contract',
      roles: 'staff',
      body: contractInput.extend({ amount: s.MoneyIn.nullish() }),
      ok: { 200: s.AnyObject },
    },
  ],
  // board, statistics, hall, open data
  ['get', '/board', { summary: 'The disclosure board', query: townshipQuery, ok: { 200: s.Board } }],
  ['get', '/stats', { summary: 'Trading statistics', query: filterInput, ok: { 200: s.Stats } }],
  ['get', '/stats/deals.csv', { summary: 'Awarded deals as CSV', query: filterInput, ok: { 200: file('text/csv') } }],
  [
    'get',
    '/stats/deals.xlsx',
    {
      summary: 'Awarded deals as XLSX',
      query: filterInput,
      ok: { 200: file('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') },
    },
  ],
  ['get', '/hall/stats', { summary: 'Service hall figures', query: filterInput, ok: { 200: s.HallStats } }],
  [
    'post',
    '/hall/entries',
    { summary: 'Record hall work', roles: 'staff', body: entryInput, ok: { 201: s.AnyObject } },
  ],
  [
    'get',
    '/ocds/releases',
    {
      summary: 'OCDS 1.1 release package',
      query: townshipQuery.extend({ since: z.string() }).partial(),
      ok: { 200: s.AnyObject },
    },
  ],
  ['get', '/me/notifications', { summary: 'Own notifications', roles: 'any', ok: { 200: list(s.Notification) } }],
  ['post', '/me/notifications/{id}/read', { summary: 'Mark read', roles: 'any', ok: { 204: null } }],
  // calendar
  [
    'get',
    '/calendar/days',
    {
      summary: 'Holidays and working weekends',
      roles: 'any',
      query: z.object({ year: z.string() }).partial(),
      ok: { 200: list(s.AnyObject) },
    },
  ],
  [
    'post',
    '/calendar/days',
    { summary: 'Set a day', roles: 'admin', body: calendarDayInput, ok: { 201: s.AnyObject } },
  ],
  ['delete', '/calendar/days/{day}', { summary: 'Remove a day', roles: 'admin', ok: { 204: null } }],
  // audit and supervision
  [
    'get',
    '/audit/log',
    { summary: 'The audit trail', roles: 'auditor, admin', query: auditQuery, ok: { 200: list(s.AuditEntry) } },
  ],
  [
    'get',
    '/audit/verify',
    { summary: 'Verify the trail', roles: 'auditor, admin', query: auditQuery, ok: { 200: s.AnyObject } },
  ],
  ['get', '/audit/export', { summary: 'The whole trail as JSON', roles: 'auditor, admin', ok: { 200: s.AnyValue } }],
  ['get', '/audit/checkpoint', { summary: 'Signed tree head', ok: { 200: s.Checkpoint } }],
  [
    'get',
    '/audit/proof',
    {
      summary: 'Inclusion proof',
      query: z.object({ seq: z.string(), size: z.string() }).partial(),
      ok: { 200: s.AnyObject },
    },
  ],
  [
    'get',
    '/audit/consistency',
    {
      summary: 'Consistency proof',
      query: z.object({ from: z.string(), to: z.string() }).partial(),
      ok: { 200: s.AnyObject },
    },
  ],
  [
    'get',
    '/audit/flags',
    { summary: 'Warning signs on deals', roles: 'auditor, admin', query: townshipQuery, ok: { 200: list(s.Flag) } },
  ],
  [
    'get',
    '/audit/listings/{id}/notes',
    { summary: 'Review notes', roles: 'auditor, admin', ok: { 200: list(s.AnyObject) } },
  ],
  [
    'post',
    '/audit/listings/{id}/notes',
    { summary: 'Add a review note', roles: 'auditor, admin', body: reviewNoteInput, ok: { 201: s.AnyObject } },
  ],
  [
    'get',
    '/supervision/alerts',
    { summary: 'Deadline alerts', roles: 'any', query: townshipQuery, ok: { 200: list(s.Alert) } },
  ],
  ['get', '/openapi.json', { summary: 'This document', ok: { 200: s.AnyObject } }],
];

function content(schema: ZodTypeAny | { type: string }) {
  if (schema instanceof z.ZodType) return { 'application/json': { schema } };
  return { [schema.type]: { schema: z.string().openapi({ format: 'binary' }) } };
}

function routeConfig(method: Method, path: string, op: Op): RouteConfig {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const responses: RouteConfig['responses'] = {};
  for (const [status, schema] of Object.entries(op.ok)) {
    responses[status] =
      schema === null ? { description: 'No content' } : { description: 'OK', content: content(schema) };
  }
  responses.default = { description: 'Any error: 4xx/5xx with the error body', content: content(s.ApiError) };
  return {
    method,
    path,
    summary: op.summary,
    description: op.roles ? `Roles: ${op.roles}.` : 'Public.',
    ...(op.roles ? { security: [{ bearer: [] }] } : {}),
    request: {
      ...(names.length ? { params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.body ? { body: { content: { 'application/json': { schema: op.body } } } } : {}),
    },
    responses,
  };
}

let built: object | null = null;

/** The document (built once: the schemas do not change while the process runs). */
export function openApiDocument(): object {
  if (built) return built;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const [method, path, op] of OPERATIONS) registry.registerPath(routeConfig(method, path, op));
  built = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: '乡镇公共资源交易站 JSON API (Township Public Resource Trading Station)',
      version: '1',
      description:
        'See API.md. Money is a string with two decimals; errors have one body; Accept-Language zh-CN or en.',
    },
    servers: [{ url: '/api/v1' }],
  });
  return built;
}

/** The documented operations, as "METHOD /path/{param}" (for the tests). */
export const DOCUMENTED = OPERATIONS.map(([m, p]) => `${m.toUpperCase()} ${p}`);
