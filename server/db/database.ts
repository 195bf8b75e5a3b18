import type { ColumnType, Generated, Selectable } from 'kysely';

// One Database interface composed from per-table interfaces.
// numeric columns come back from pg as strings: repositories turn them into Decimal.
type Numeric = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface TownshipTable {
  id: Generated<string>;
  code: string;
  name: string;
  district: string;
  disclosures: ColumnType<Record<string, string>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface TownshipRulesTable {
  township_id: string;
  procurement_min: Numeric;
  procurement_max: Numeric;
  procurement_min_valid_bids: number;
  lease_min: Numeric;
  lease_max: Numeric;
  lease_min_valid_bids: number;
  min_notice_days: number;
  publicity_days: number;
  open_within_hours: number;
  award_within_days: number;
  contract_within_days: number;
  deposit_account: Generated<string>;
  deposit_due_hours: Generated<number>;
  deposit_refund_rule: Generated<string>;
  opening_quorum: Generated<number>;
  updated_at: Generated<Date>;
}

export interface UserTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  role: 'admin' | 'staff' | 'auditor' | 'bidder';
  township_id: string | null;
  name: string | null;
  id_number: string | null;
  phone: string | null;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionTable {
  sid: string;
  sess: unknown;
  expire: Date;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface LoginFailureTable {
  id: Generated<string>;
  username: string;
  address: string;
  at: Generated<Date>;
}

export interface AuditTable {
  seq: ColumnType<string, number | string, never>;
  at: Timestamp;
  actor: string;
  action: string;
  listing_id: string | null;
  data: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
  /** the entry's Merkle leaf hash (derived; NULL for entries written before the column) */
  leaf_hash: ColumnType<Buffer | null, Buffer | undefined, never>;
}

export interface ListingCodeCounterTable {
  township_id: string;
  year: number;
  last_number: number;
}

export type ListingState = 'draft' | 'published' | 'opened' | 'failed' | 'awarded' | 'concluded' | 'cancelled';

export interface ListingTable {
  id: Generated<string>;
  code: string;
  township_id: string;
  kind: 'procurement' | 'lease';
  category: string;
  title: string;
  description: Generated<string>;
  location: string | null;
  quantity: string | null;
  base_price: Numeric;
  deposit_amount: ColumnType<string, string | undefined, string>;
  lease_term_months: number | null;
  bid_opens_at: Timestamp;
  bid_deadline: Timestamp;
  state: ColumnType<ListingState, ListingState | undefined, ListingState>;
  cancel_reason: string | null;
  relisted_from: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  published_at: Timestamp | null;
  opened_at: Timestamp | null;
  failed_at: Timestamp | null;
  concluded_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  method: ColumnType<'sealed' | 'auction', 'sealed' | 'auction' | undefined, 'sealed' | 'auction'>;
  increment: ColumnType<string | null, string | null | undefined, string | null>;
  extension_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** a lease's price per whole term (default) or per year (migration 2026_12_01_140000_lease_price_basis) */
  price_basis: ColumnType<'term' | 'year', 'term' | 'year' | undefined, 'term' | 'year'>;
  area: ColumnType<string | null, string | null | undefined, string | null>;
  area_unit: ColumnType<'mu' | 'sqm' | null, 'mu' | 'sqm' | null | undefined, 'mu' | 'sqm' | null>;
}

export interface ListingDocumentTable {
  id: Generated<string>;
  listing_id: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  content: Buffer;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
}

export interface QuestionTable {
  id: Generated<string>;
  listing_id: string;
  asker_id: string;
  text: string;
  asked_at: CreatedAt;
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export type RegistrationStatus = 'pending' | 'confirmed' | 'refundable' | 'refunded' | 'retained';

export interface RegistrationTable {
  id: Generated<string>;
  listing_id: string;
  bidder_id: string;
  status: ColumnType<RegistrationStatus, RegistrationStatus | undefined, RegistrationStatus>;
  created_at: CreatedAt;
  confirmed_at: Timestamp | null;
  confirmed_by: string | null;
  refunded_at: Timestamp | null;
  refunded_by: string | null;
}

export interface BidTable {
  id: Generated<string>;
  listing_id: string;
  bidder_id: string;
  amount_sealed: Buffer;
  amount: Numeric | null;
  nonce: string;
  receipt: string;
  submitted_at: Timestamp;
  status: ColumnType<
    'live' | 'superseded' | 'withdrawn',
    'live' | 'superseded' | 'withdrawn' | undefined,
    'live' | 'superseded' | 'withdrawn'
  >;
  valid: boolean | null;
  invalid_reason: string | null;
  rank: number | null;
}

// ---- sealing (migrations/2026_12_01_100000_sealing_keys.ts)
export interface UserKeyTable {
  user_id: string;
  public_key: Buffer;
  wrapped_private: Buffer;
  kek_salt: Buffer;
  kek_params: ColumnType<{ m: number; t: number; p: number }, string, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface KeyUnlockTable {
  handle: string;
  user_id: string;
  wrapped_private: Buffer;
  expires_at: Timestamp;
}
export interface ListingSealTable {
  listing_id: string;
  algorithm: string;
  public_key: Buffer;
  quorum: number;
  holders: number;
  created_at: Generated<Date>;
}
export interface ListingSealShareTable {
  listing_id: string;
  holder_id: string;
  township_staff: boolean;
  holder_public_key: Buffer;
  share_sealed: Buffer;
}
export interface OpeningConfirmationTable {
  listing_id: string;
  holder_id: string;
  township_staff: boolean;
  share_kept: Buffer | null;
  confirmed_at: Generated<Date>;
}
export interface SealedBidTable {
  id: Generated<string>;
  owner_tag: Buffer;
  offer: Buffer;
  owner_copy: Buffer;
}

export interface AwardTable {
  id: Generated<string>;
  listing_id: string;
  bid_id: string;
  bidder_id: string;
  kind: 'procurement' | 'lease';
  base_price: Numeric;
  amount: Numeric;
  savings: Numeric;
  savings_rate: Numeric;
  reason: string | null;
  awarded_by: string | null;
  awarded_at: Timestamp;
  publicity_ends_at: Timestamp;
  /** whole-term figures of a `year` lease; NULL: the same as base_price and amount */
  term_base_price: ColumnType<string | null, string | null | undefined, string | null>;
  term_amount: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Daily deal totals per township and kind, kept by the use case that makes a deal (server/stats/deal-days.ts). */
export interface DealDayTable {
  township_id: string;
  /** awarded_at's calendar day in Asia/Shanghai */
  day: ColumnType<string, string, never>;
  kind: 'procurement' | 'lease';
  deals: number;
  base_total: Numeric;
  award_total: Numeric;
  savings: Numeric;
}

export interface ObjectionTable {
  id: Generated<string>;
  listing_id: string;
  bidder_id: string;
  text: string;
  status: ColumnType<'open' | 'answered', 'open' | 'answered' | undefined, 'open' | 'answered'>;
  created_at: CreatedAt;
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export interface ContractTable {
  id: Generated<string>;
  listing_id: string;
  signed_at: Timestamp;
  amount: Numeric;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  listing_id: string | null;
  message_key: string;
  params: ColumnType<Record<string, string>, string | undefined, string>;
  at: CreatedAt;
  read_at: Timestamp | null;
}

export interface HallEntryTable {
  id: Generated<string>;
  township_id: string;
  entry_date: ColumnType<string, string, string>;
  kind: 'service' | 'dispute' | 'consultation' | 'info';
  count: number;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface CalendarDayTable {
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: Generated<string>;
}

export interface ReviewNoteTable {
  id: Generated<string>;
  listing_id: string;
  author_id: string;
  text: string;
  reviewed: Generated<boolean>;
  created_at: CreatedAt;
}

export interface AuctionBidderTable {
  listing_id: string;
  bidder_id: string;
  number: number;
}

export interface AuctionBidTable {
  id: Generated<string>;
  listing_id: string;
  seq: number;
  bidder_id: string;
  amount: Numeric;
  placed_at: Timestamp;
  ends_at: Timestamp;
}

export interface AuctionEndTable {
  listing_id: string;
  ended_at: Timestamp;
  bid_count: number;
}

export interface Database {
  townships: TownshipTable;
  township_rules: TownshipRulesTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  app_secrets: AppSecretTable;
  audit: AuditTable;
  listing_code_counters: ListingCodeCounterTable;
  listings: ListingTable;
  listing_documents: ListingDocumentTable;
  questions: QuestionTable;
  registrations: RegistrationTable;
  bids: BidTable;
  awards: AwardTable;
  deal_days: DealDayTable;
  objections: ObjectionTable;
  contracts: ContractTable;
  notifications: NotificationTable;
  hall_entries: HallEntryTable;
  calendar_days: CalendarDayTable;
  review_notes: ReviewNoteTable;
  auction_bidders: AuctionBidderTable;
  auction_bids: AuctionBidTable;
  auction_ends: AuctionEndTable;
  user_keys: UserKeyTable;
  key_unlocks: KeyUnlockTable;
  listing_seals: ListingSealTable;
  listing_seal_shares: ListingSealShareTable;
  opening_confirmations: OpeningConfirmationTable;
  sealed_bids: SealedBidTable;
}

export type UserRow = Selectable<UserTable>;
export type ListingRow = Selectable<ListingTable>;
export type TownshipRow = Selectable<TownshipTable>;
export type TownshipRulesRow = Selectable<TownshipRulesTable>;
