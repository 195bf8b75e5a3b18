import { Kysely, sql } from 'kysely';

// Sealing that no single insider can open (issue 12, API.md "Additions (2026-12)").
//
// - user_keys: every key holder's (and bidder's) personal X25519 key pair; the private half is wrapped
//   with AES-256-GCM under argon2id(password, kek_salt), so only the holder's password opens it.
// - key_unlocks: a bidder's personal private key re-wrapped under a key derived from one raw session
//   id or bearer token (HKDF); the row is found by another HKDF of that secret, never by the secret.
// - listing_seals / listing_seal_shares: a listing's sealing public key, and one Shamir share of its
//   private key per holder, each encrypted to that holder's personal public key. The private key
//   itself is stored nowhere.
// - opening_confirmations: a holder's share, confirmed with their password after the deadline,
//   re-encrypted under a key derived from the server's seal key file (outside the database).
// - sealed_bids: offers not yet opened. A row names neither the listing nor the bidder: the offer is
//   encrypted to the listing's key, the bidder's copy to the bidder's key, and owner_tag is an HMAC
//   only the bidder's own key can compute. Some rows are decoys made at publish (indistinguishable).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
CREATE TABLE user_keys (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  public_key bytea NOT NULL CONSTRAINT user_keys_public_key_check CHECK (length(public_key) = 32),
  wrapped_private bytea NOT NULL,
  kek_salt bytea NOT NULL,
  kek_params jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE key_unlocks (
  handle text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  wrapped_private bytea NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX key_unlocks_expires_idx ON key_unlocks (expires_at);

CREATE TABLE listing_seals (
  listing_id uuid PRIMARY KEY REFERENCES listings(id) ON DELETE CASCADE,
  algorithm text NOT NULL,
  public_key bytea NOT NULL CONSTRAINT listing_seals_public_key_check CHECK (length(public_key) = 32),
  quorum integer NOT NULL CONSTRAINT listing_seals_quorum_check CHECK (quorum >= 1),
  holders integer NOT NULL CONSTRAINT listing_seals_holders_check CHECK (holders >= quorum),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE listing_seal_shares (
  listing_id uuid NOT NULL REFERENCES listing_seals(listing_id) ON DELETE CASCADE,
  holder_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  township_staff boolean NOT NULL,
  holder_public_key bytea NOT NULL,
  share_sealed bytea NOT NULL,
  PRIMARY KEY (listing_id, holder_id)
);

CREATE TABLE opening_confirmations (
  listing_id uuid NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  holder_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  township_staff boolean NOT NULL,
  share_kept bytea,
  confirmed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (listing_id, holder_id)
);

CREATE TABLE sealed_bids (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_tag bytea NOT NULL CONSTRAINT sealed_bids_owner_tag_key UNIQUE,
  offer bytea NOT NULL,
  owner_copy bytea NOT NULL
);

ALTER TABLE township_rules ADD COLUMN opening_quorum integer NOT NULL DEFAULT 2
  CONSTRAINT township_rules_opening_quorum_check CHECK (opening_quorum >= 1);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE township_rules DROP COLUMN opening_quorum;
DROP TABLE sealed_bids, opening_confirmations, listing_seal_shares, listing_seals, key_unlocks, user_keys;
`,
    )
    .execute(db);
}
