import { Kysely, sql } from 'kysely';

// Open auctions (网络竞价): a listing is sold by sealed offers (the default) or by an open auction
// with an increment grid and a 限时竞价 extension window. ends_at is the current end of an auction
// once a bid has extended it (NULL: the scheduled bid_deadline still holds).
// Each accepted bid is one row with a per-listing sequence number; the unique keys make "exactly one
// bid per level" and "no accepted bid reordered" hold in the database, not only in the use case.
// auction_bids is not among the read cache's notifying tables: a bid changes no board, statistic or
// open-data answer (live figures travel on their own channel, tts_auction).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE listings
  ADD COLUMN method text NOT NULL DEFAULT 'sealed' CONSTRAINT listings_method_check CHECK (method IN ('sealed','auction')),
  ADD COLUMN increment numeric(14,2) CONSTRAINT listings_increment_check CHECK (increment > 0),
  ADD COLUMN extension_seconds integer CONSTRAINT listings_extension_seconds_check CHECK (extension_seconds >= 1),
  ADD COLUMN ends_at timestamptz,
  ADD CONSTRAINT listings_auction_terms_check
    CHECK (method = 'sealed' OR (increment IS NOT NULL AND extension_seconds IS NOT NULL));

-- the 竞买号 of a bidder in one auction: numbered from 1 in order of first bid
CREATE TABLE auction_bidders (
  listing_id uuid NOT NULL REFERENCES listings(id),
  bidder_id uuid NOT NULL REFERENCES users(id),
  number integer NOT NULL CONSTRAINT auction_bidders_number_check CHECK (number >= 1),
  CONSTRAINT auction_bidders_pkey PRIMARY KEY (listing_id, bidder_id),
  CONSTRAINT auction_bidders_number_key UNIQUE (listing_id, number)
);

CREATE TABLE auction_bids (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES listings(id),
  seq integer NOT NULL CONSTRAINT auction_bids_seq_check CHECK (seq >= 1),
  bidder_id uuid NOT NULL REFERENCES users(id),
  amount numeric(14,2) NOT NULL CONSTRAINT auction_bids_amount_check CHECK (amount > 0),
  placed_at timestamptz NOT NULL,
  -- the auction's end right after this bid (moved when the bid came inside the extension window)
  ends_at timestamptz NOT NULL,
  CONSTRAINT auction_bids_seq_key UNIQUE (listing_id, seq),
  CONSTRAINT auction_bids_one_per_level_key UNIQUE (listing_id, amount),
  CONSTRAINT auction_bids_bidder_fkey FOREIGN KEY (listing_id, bidder_id) REFERENCES auction_bidders (listing_id, bidder_id)
);

-- the moment an auction was seen over: one row, written once by whichever instance gets there first
CREATE TABLE auction_ends (
  listing_id uuid PRIMARY KEY REFERENCES listings(id),
  ended_at timestamptz NOT NULL,
  bid_count integer NOT NULL
);

CREATE INDEX listings_auction_live_idx ON listings (bid_deadline) WHERE method = 'auction' AND state = 'published';
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP INDEX IF EXISTS listings_auction_live_idx;
DROP TABLE IF EXISTS auction_ends;
DROP TABLE IF EXISTS auction_bids;
DROP TABLE IF EXISTS auction_bidders;
ALTER TABLE listings
  DROP CONSTRAINT IF EXISTS listings_auction_terms_check,
  DROP COLUMN IF EXISTS ends_at,
  DROP COLUMN IF EXISTS extension_seconds,
  DROP COLUMN IF EXISTS increment,
  DROP COLUMN IF EXISTS method;
`,
    )
    .execute(db);
}
