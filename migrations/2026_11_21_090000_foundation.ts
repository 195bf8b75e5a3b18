import { Kysely, sql } from 'kysely';

// The whole first schema in one place. Money is numeric(14,2) everywhere.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE TABLE townships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CONSTRAINT townships_code_key UNIQUE,
  name text NOT NULL,
  district text NOT NULL,
  disclosures jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX townships_district_idx ON townships (district);

CREATE TABLE township_rules (
  township_id uuid PRIMARY KEY REFERENCES townships(id) ON DELETE CASCADE,
  procurement_min numeric(14,2) NOT NULL,
  procurement_max numeric(14,2) NOT NULL,
  procurement_min_valid_bids integer NOT NULL,
  lease_min numeric(14,2) NOT NULL,
  lease_max numeric(14,2) NOT NULL,
  lease_min_valid_bids integer NOT NULL,
  min_notice_days integer NOT NULL,
  publicity_days integer NOT NULL,
  open_within_hours integer NOT NULL,
  award_within_days integer NOT NULL,
  contract_within_days integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT township_rules_bands_check CHECK (procurement_min <= procurement_max AND lease_min <= lease_max)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CONSTRAINT users_role_check CHECK (role IN ('admin','staff','auditor','bidder')),
  township_id uuid REFERENCES townships(id),
  name text,
  id_number text,
  phone text,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_staff_township_check CHECK (role <> 'staff' OR township_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash text NOT NULL CONSTRAINT api_tokens_hash_key UNIQUE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  sid varchar NOT NULL PRIMARY KEY,
  sess json NOT NULL,
  expire timestamp(6) NOT NULL
);
CREATE INDEX sessions_expire_idx ON sessions (expire);

-- secrets every app instance must share (the session signing secret); never the bid seal key
CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  address text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, at);
CREATE INDEX login_failures_address_idx ON login_failures (address, at);

-- Append-only, hash-chained trail. seq is assigned by the app under a lock so it is gap-free.
CREATE TABLE audit (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  listing_id uuid,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_listing_idx ON audit (listing_id, seq);
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION 'audit is append-only' USING ERRCODE = 'insufficient_privilege';
END $f$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TABLE listing_code_counters (
  township_id uuid NOT NULL REFERENCES townships(id),
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (township_id, year)
);

CREATE TABLE listings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL CONSTRAINT listings_code_key UNIQUE,
  township_id uuid NOT NULL REFERENCES townships(id),
  kind text NOT NULL CONSTRAINT listings_kind_check CHECK (kind IN ('procurement','lease')),
  category text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  location text,
  quantity text,
  base_price numeric(14,2) NOT NULL CONSTRAINT listings_base_price_check CHECK (base_price > 0),
  deposit_amount numeric(14,2) NOT NULL DEFAULT 0 CONSTRAINT listings_deposit_check CHECK (deposit_amount >= 0),
  lease_term_months integer,
  bid_opens_at timestamptz NOT NULL,
  bid_deadline timestamptz NOT NULL,
  -- stored state; announced/open/closed are read from the clock while 'published'
  state text NOT NULL DEFAULT 'draft' CONSTRAINT listings_state_check
    CHECK (state IN ('draft','published','opened','failed','awarded','concluded','cancelled')),
  cancel_reason text,
  relisted_from uuid REFERENCES listings(id),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  opened_at timestamptz,
  failed_at timestamptz,
  concluded_at timestamptz,
  cancelled_at timestamptz,
  CONSTRAINT listings_deadline_check CHECK (bid_deadline > bid_opens_at)
);
CREATE INDEX listings_township_state_idx ON listings (township_id, state);
CREATE INDEX listings_state_deadline_idx ON listings (state, bid_deadline);

CREATE TABLE listing_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  filename text NOT NULL,
  mime_type text NOT NULL,
  size_bytes integer NOT NULL,
  content bytea NOT NULL,
  sha256 text NOT NULL,
  uploaded_by uuid REFERENCES users(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX listing_documents_listing_idx ON listing_documents (listing_id);

CREATE TABLE questions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id),
  asker_id uuid NOT NULL REFERENCES users(id),
  text text NOT NULL,
  asked_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  answered_by uuid REFERENCES users(id),
  answered_at timestamptz
);
CREATE INDEX questions_listing_idx ON questions (listing_id, asked_at);

CREATE TABLE registrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id),
  bidder_id uuid NOT NULL REFERENCES users(id),
  status text NOT NULL DEFAULT 'pending' CONSTRAINT registrations_status_check
    CHECK (status IN ('pending','confirmed','refundable','refunded','retained')),
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  confirmed_by uuid REFERENCES users(id),
  refunded_at timestamptz,
  refunded_by uuid REFERENCES users(id),
  CONSTRAINT registrations_listing_bidder_key UNIQUE (listing_id, bidder_id)
);

-- amount_sealed holds AES-256-GCM (iv | tag | ciphertext); amount is filled only at opening.
CREATE TABLE bids (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id),
  bidder_id uuid NOT NULL REFERENCES users(id),
  amount_sealed bytea NOT NULL,
  amount numeric(14,2),
  nonce text NOT NULL,
  receipt text NOT NULL,
  submitted_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'live' CONSTRAINT bids_status_check
    CHECK (status IN ('live','superseded','withdrawn')),
  valid boolean,
  invalid_reason text,
  rank integer
);
CREATE UNIQUE INDEX bids_one_live_per_bidder_idx ON bids (listing_id, bidder_id) WHERE status = 'live';
CREATE INDEX bids_listing_idx ON bids (listing_id, status);

CREATE TABLE awards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id) CONSTRAINT awards_listing_key UNIQUE,
  bid_id uuid NOT NULL REFERENCES bids(id),
  bidder_id uuid NOT NULL REFERENCES users(id),
  kind text NOT NULL,
  base_price numeric(14,2) NOT NULL,
  amount numeric(14,2) NOT NULL,
  savings numeric(14,2) NOT NULL,
  savings_rate numeric(8,4) NOT NULL,
  reason text,
  awarded_by uuid REFERENCES users(id),
  awarded_at timestamptz NOT NULL,
  publicity_ends_at timestamptz NOT NULL
);
CREATE INDEX awards_awarded_at_idx ON awards (awarded_at);

CREATE TABLE objections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id),
  bidder_id uuid NOT NULL REFERENCES users(id),
  text text NOT NULL,
  status text NOT NULL DEFAULT 'open' CONSTRAINT objections_status_check CHECK (status IN ('open','answered')),
  created_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  answered_by uuid REFERENCES users(id),
  answered_at timestamptz
);
CREATE INDEX objections_listing_idx ON objections (listing_id, status);

CREATE TABLE contracts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id) CONSTRAINT contracts_listing_key UNIQUE,
  signed_at timestamptz NOT NULL,
  amount numeric(14,2) NOT NULL,
  recorded_by uuid REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id),
  listing_id uuid REFERENCES listings(id),
  message_key text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, at DESC);

CREATE TABLE hall_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  township_id uuid NOT NULL REFERENCES townships(id),
  entry_date date NOT NULL,
  kind text NOT NULL CONSTRAINT hall_entries_kind_check CHECK (kind IN ('service','dispute','consultation','info')),
  count integer NOT NULL CONSTRAINT hall_entries_count_check CHECK (count >= 0),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hall_entries_township_date_idx ON hall_entries (township_id, entry_date);

-- The working-day calendar: holidays off, make-up working days (调休) on.
CREATE TABLE calendar_days (
  day date PRIMARY KEY,
  kind text NOT NULL CONSTRAINT calendar_days_kind_check CHECK (kind IN ('holiday','workday')),
  name text NOT NULL DEFAULT ''
);

CREATE TABLE review_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id),
  author_id uuid NOT NULL REFERENCES users(id),
  text text NOT NULL,
  reviewed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_notes_listing_idx ON review_notes (listing_id, created_at);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
DROP TABLE IF EXISTS review_notes, calendar_days, hall_entries, notifications, contracts, objections,
  awards, bids, registrations, questions, listing_documents, listings, listing_code_counters,
  audit, login_failures, app_secrets, sessions, api_tokens, users, township_rules, townships CASCADE;
DROP FUNCTION IF EXISTS audit_refuse_change();
`,
    )
    .execute(db);
}
