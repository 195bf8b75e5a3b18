import { Kysely, sql } from 'kysely';

// A lease's price basis (API.md, "Lease price basis"): `term` (the price is for the whole lease term,
// as before) or `year` (元/年, as most collective leases are quoted), and the leased area (亩 or 平方米).
//
// An award of a `year` lease keeps its whole-term figures beside the yearly ones: term_base_price and
// term_amount (= the yearly price × months ÷ 12, half-up to the fen); NULL means the same as base_price
// and amount (every `term` award, and every award made before this migration). The statistics count
// whole-term amounts, so the daily deal totals read coalesce(term_…, …); savings is whole-term already.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
ALTER TABLE listings
  ADD COLUMN price_basis text NOT NULL DEFAULT 'term',
  ADD COLUMN area numeric(12,2),
  ADD COLUMN area_unit text,
  ADD CONSTRAINT listings_price_basis_check CHECK (price_basis IN ('term', 'year')),
  ADD CONSTRAINT listings_price_basis_lease_only_check CHECK (price_basis = 'term' OR kind = 'lease'),
  ADD CONSTRAINT listings_area_unit_check CHECK (area_unit IN ('mu', 'sqm')),
  ADD CONSTRAINT listings_area_with_unit_check CHECK ((area IS NULL) = (area_unit IS NULL)),
  ADD CONSTRAINT listings_area_positive_check CHECK (area > 0);

ALTER TABLE awards
  ADD COLUMN term_base_price numeric(14,2),
  ADD COLUMN term_amount numeric(14,2),
  ADD CONSTRAINT awards_term_figures_together_check CHECK ((term_base_price IS NULL) = (term_amount IS NULL));

CREATE OR REPLACE FUNCTION deal_days_change(award awards, township_id uuid, sign integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
  SELECT to_jsonb(award) || jsonb_build_object('township_id', township_id, 'sign', sign,
    'base_price', coalesce(award.term_base_price, award.base_price),
    'amount', coalesce(award.term_amount, award.amount));
$f$;

CREATE OR REPLACE FUNCTION deal_days_rebuild() RETURNS void LANGUAGE sql AS $f$
  DELETE FROM deal_days;
  INSERT INTO deal_days (township_id, day, kind, deals, base_total, award_total, savings)
  SELECT l.township_id, (a.awarded_at AT TIME ZONE 'Asia/Shanghai')::date, a.kind,
         count(*), sum(coalesce(a.term_base_price, a.base_price)), sum(coalesce(a.term_amount, a.amount)), sum(a.savings)
    FROM awards a JOIN listings l ON l.id = a.listing_id
   WHERE l.state IN ('awarded', 'concluded')
   GROUP BY 1, 2, 3;
$f$;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE OR REPLACE FUNCTION deal_days_change(award awards, township_id uuid, sign integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
  SELECT to_jsonb(award) || jsonb_build_object('township_id', township_id, 'sign', sign);
$f$;
CREATE OR REPLACE FUNCTION deal_days_rebuild() RETURNS void LANGUAGE sql AS $f$
  DELETE FROM deal_days;
  INSERT INTO deal_days (township_id, day, kind, deals, base_total, award_total, savings)
  SELECT l.township_id, (a.awarded_at AT TIME ZONE 'Asia/Shanghai')::date, a.kind,
         count(*), sum(a.base_price), sum(a.amount), sum(a.savings)
    FROM awards a JOIN listings l ON l.id = a.listing_id
   WHERE l.state IN ('awarded', 'concluded')
   GROUP BY 1, 2, 3;
$f$;
ALTER TABLE awards DROP COLUMN IF EXISTS term_amount, DROP COLUMN IF EXISTS term_base_price;
ALTER TABLE listings DROP COLUMN IF EXISTS area_unit, DROP COLUMN IF EXISTS area, DROP COLUMN IF EXISTS price_basis;
SELECT deal_days_rebuild();
`,
    )
    .execute(db);
}
