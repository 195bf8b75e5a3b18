import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AREA_UNITS, PRICE_BASES } from '../listings/price-basis';

extendZodWithOpenApi(z);

// The API's answers as zod schemas (API.md): what the OpenAPI document publishes and what the
// integration suite checks every answer against. Objects let added fields through (API.md: "add
// fields freely; never rename or drop one"); the fields named here must be there, with these types.

export const Money = z
  .string()
  .regex(/^-?\d{1,13}\.\d{2}$/)
  .openapi({ description: 'money: a string with exactly two decimals', example: '12345.60' });
export const Rate = z
  .string()
  .regex(/^-?\d+\.\d{4}$/)
  .openapi({ description: 'a rate: four decimals, half-up ("0.1617" = 16.17 %)', example: '0.1617' });
export const MoneyIn = z.union([z.string(), z.number()]).openapi({
  description: 'money in a request: a string or a JSON number, at most two decimals, no exponent, < 10^12',
});
export const Time = z.string().datetime({ offset: true }).openapi({ description: 'ISO 8601 with an offset' });
export const Id = z.string().openapi({ description: 'an opaque id: send back what you were given' });
const open = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();

export const ApiError = open({
  error: open({
    code: z.string().openapi({ example: 'VALIDATION' }),
    message: z.string().openapi({ description: 'in the language of Accept-Language (zh-CN default, en)' }),
    details: open({ fields: z.record(z.string()).optional() }).optional(),
  }),
}).openapi('Error');

export const User = open({
  id: Id,
  username: z.string(),
  role: z.enum(['admin', 'staff', 'auditor', 'bidder']),
  townshipId: Id.nullable(),
}).openapi('User');

export const NewBidder = open({ id: Id, username: z.string(), role: z.literal('bidder') }).openapi('NewBidder');

export const Township = open({ id: Id, code: z.string(), name: z.string(), district: z.string() }).openapi('Township');
const Band = open({ minAmount: Money, maxAmount: Money, minValidBids: z.number().int() });
export const Rules = open({
  procurement: Band,
  lease: Band,
  minNoticeDays: z.number().int(),
  publicityDays: z.number().int(),
  openWithinHours: z.number().int(),
  awardWithinDays: z.number().int(),
  contractWithinDays: z.number().int(),
}).openapi('TownshipRules');

const STATUSES = ['draft', 'announced', 'open', 'closed', 'opened', 'failed', 'awarded', 'concluded', 'cancelled'];
export const Listing = open({
  id: Id,
  code: z.string(),
  townshipId: Id,
  kind: z.enum(['procurement', 'lease']),
  category: z.string(),
  title: z.string(),
  description: z.string(),
  location: z.string().nullable(),
  quantity: z.string().nullable(),
  basePrice: Money,
  depositAmount: Money,
  leaseTermMonths: z.number().int().nullable(),
  priceBasis: z.enum(PRICE_BASES).openapi({ description: 'term: prices are for the whole lease term; year: 元/年' }),
  area: z
    .string()
    .regex(/^\d+\.\d{2}$/)
    .nullable(),
  areaUnit: z.union([z.enum(AREA_UNITS), z.null()]), // (a nullable enum loses its null in the generated enum)
  bidOpensAt: Time,
  bidDeadline: Time,
  status: z.enum(STATUSES as [string, ...string[]]),
  cancelReason: z.string().nullable(),
  relistedFrom: Id.nullable(),
  createdAt: Time,
  publishedAt: Time.nullable(),
  method: z.enum(['sealed', 'auction']),
  increment: Money.nullable().optional(),
  extensionSeconds: z.number().int().nullable().optional(),
  endsAt: Time.optional(),
  bidCount: z.number().int().optional().openapi({ description: 'only once bids are opened' }),
}).openapi('Listing');

export const Award = open({
  listingId: Id,
  bidId: Id,
  bidderId: Id,
  bidderName: z.string(),
  kind: z.enum(['procurement', 'lease']),
  basePrice: Money,
  amount: Money,
  termAmount: Money.optional().openapi({ description: 'a yearly-priced lease: amount × leaseTermMonths ÷ 12' }),
  savings: Money.openapi({ description: 'over the whole term' }),
  savingsRate: Rate,
  awardedAt: Time,
  publicityEndsAt: Time,
}).openapi('Award');

export const BoardResult = Award.extend({
  title: z.string(),
  code: z.string(),
  townshipId: Id,
  category: z.string(),
  status: z.string(),
  underPublicity: z.boolean(),
}).openapi('BoardResult');

export const Board = open({
  announcements: z.array(Listing),
  results: z.array(BoardResult),
  updatedAt: Time,
}).openapi('Board');

const Totals = { dealCount: z.number().int(), totalAmount: Money, savingsTotal: Money };
const KindTotals = open({ count: z.number().int(), baseTotal: Money, awardTotal: Money, savings: Money });
export const Stats = open({
  ...Totals,
  procurement: KindTotals,
  lease: KindTotals,
  failedCount: z.number().int(),
  openCount: z.number().int(),
  byTownship: z.array(open({ townshipId: Id, name: z.string(), ...Totals })),
  byMonth: z.array(open({ month: z.string().regex(/^\d{4}-\d{2}$/), ...Totals })),
}).openapi('Stats');

export const HallStats = open({
  servicesHandled: z.number().int(),
  disputesMediated: z.number().int(),
  infoPublished: z.number().int(),
  consultations: z.number().int(),
  trading: open(Totals),
}).openapi('HallStats');

export const OwnBid = open({ id: Id, listingId: Id, amount: Money, submittedAt: Time, receipt: z.string() }).openapi(
  'OwnBid',
);
export const OpenedBid = open({
  id: Id,
  bidderId: Id,
  bidderName: z.string(),
  amount: Money.nullable(),
  submittedAt: Time,
  receipt: z.string(),
  rank: z.number().int().nullable(),
  valid: z.boolean().nullable(),
}).openapi('OpenedBid');
export const Opening = open({ status: z.enum(['opened', 'failed']), bids: z.array(OpenedBid) }).openapi('Opening');
export const Registration = open({ id: Id, status: z.string() }).openapi('Registration');
export const Objection = open({ id: Id, status: z.enum(['open', 'answered']) }).openapi('Objection');
export const Question = open({
  id: Id,
  text: z.string(),
  answer: z.string().nullable(),
  askedAt: Time,
  answeredAt: Time.nullable(),
}).openapi('Question');
export const Document = open({
  id: Id,
  listingId: Id,
  filename: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: Time,
}).openapi('Document');
export const Notification = open({
  id: Id,
  at: Time,
  text: z.string(),
  listingId: Id.nullable(),
  read: z.boolean(),
}).openapi('Notification');
const AuctionBidItem = open({ amount: Money, at: Time, alias: z.string() });
export const AuctionRoom = open({
  status: z.string(),
  endsAt: Time,
  increment: Money,
  nextMin: Money.nullable(),
  bidCount: z.number().int(),
  best: AuctionBidItem.nullable(),
  history: z.array(AuctionBidItem),
}).openapi('AuctionRoom');
export const AuctionBid = open({ id: Id, amount: Money, at: Time, endsAt: Time, alias: z.string() }).openapi(
  'AuctionBid',
);
export const Checkpoint = open({
  size: z.number().int(),
  root: z.string(),
  at: Time,
  signature: z.string(),
  publicKey: z.string(),
}).openapi('Checkpoint');
export const AuditEntry = open({
  seq: z.number().int(),
  at: Time,
  actor: z.string().nullable(),
  action: z.string(),
  listingId: Id.nullable(),
  hash: z.string(),
}).openapi('AuditEntry');
export const Alert = open({ listingId: Id, step: z.string(), dueAt: Time, level: z.string() }).openapi('Alert');
export const Flag = open({ listingId: Id, code: z.string(), detail: z.unknown() }).openapi('Flag');
/** Structures whose every field is not spelled out here (they have their own specifications). */
export const AnyObject = z.object({}).passthrough();
export const AnyValue = z.unknown();
