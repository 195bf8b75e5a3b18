import { Kysely, sql } from 'kysely';

// The daily deal totals (deal_days) are kept by the use case that makes a deal, in its transaction
// (server/stats/deal-days.ts holds the rule, server/awards/awards.service.ts applies it), not by
// triggers nobody sees from the code. The table and its rows stay as the triggers left them, which
// is exactly the totals of the awards at this moment; a bulk load rebuilds them from the awards in
// TypeScript (rebuildDealDays), so the SQL rebuild goes too. Down restores the triggers as they were
// last defined (2026_12_01_140000_lease_price_basis) and rebuilds the totals.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
DROP TRIGGER IF EXISTS awards_deal_days_insert ON awards;
DROP TRIGGER IF EXISTS awards_deal_days_update ON awards;
DROP TRIGGER IF EXISTS awards_deal_days_delete ON awards;
DROP TRIGGER IF EXISTS listings_deal_days ON listings;
DROP FUNCTION IF EXISTS deal_days_from_listings();
DROP FUNCTION IF EXISTS deal_days_from_awards();
DROP FUNCTION IF EXISTS deal_days_rebuild();
DROP FUNCTION IF EXISTS deal_days_change(awards, uuid, integer);
DROP FUNCTION IF EXISTS deal_days_apply(jsonb);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE FUNCTION deal_days_apply(changes jsonb) RETURNS void LANGUAGE sql AS $f$
  INSERT INTO deal_days AS d (township_id, day, kind, deals, base_total, award_total, savings)
  SELECT c.township_id, (c.awarded_at AT TIME ZONE 'Asia/Shanghai')::date, c.kind,
         sum(c.sign), sum(c.sign * c.base_price), sum(c.sign * c.amount), sum(c.sign * c.savings)
  FROM jsonb_to_recordset(changes) AS c(township_id uuid, awarded_at timestamptz, kind text,
       base_price numeric(14,2), amount numeric(14,2), savings numeric(14,2), sign integer)
  GROUP BY 1, 2, 3
  ON CONFLICT (township_id, day, kind) DO UPDATE SET
    deals = d.deals + EXCLUDED.deals,
    base_total = d.base_total + EXCLUDED.base_total,
    award_total = d.award_total + EXCLUDED.award_total,
    savings = d.savings + EXCLUDED.savings;
$f$;

CREATE FUNCTION deal_days_change(award awards, township_id uuid, sign integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
  SELECT to_jsonb(award) || jsonb_build_object('township_id', township_id, 'sign', sign,
    'base_price', coalesce(award.term_base_price, award.base_price),
    'amount', coalesce(award.term_amount, award.amount));
$f$;

CREATE FUNCTION deal_days_from_awards() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE changes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(deal_days_change(a, l.township_id, 1)) INTO changes
      FROM added a JOIN listings l ON l.id = a.listing_id WHERE l.state IN ('awarded', 'concluded');
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(deal_days_change(a, l.township_id, -1)) INTO changes
      FROM removed a JOIN listings l ON l.id = a.listing_id WHERE l.state IN ('awarded', 'concluded');
  ELSE
    SELECT jsonb_agg(x) INTO changes FROM (
      SELECT deal_days_change(a, l.township_id, -1) AS x
        FROM removed a JOIN listings l ON l.id = a.listing_id WHERE l.state IN ('awarded', 'concluded')
      UNION ALL
      SELECT deal_days_change(a, l.township_id, 1)
        FROM added a JOIN listings l ON l.id = a.listing_id WHERE l.state IN ('awarded', 'concluded')) s;
  END IF;
  IF changes IS NOT NULL THEN PERFORM deal_days_apply(changes); END IF;
  RETURN NULL;
END $f$;

CREATE FUNCTION deal_days_from_listings() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE changes jsonb;
BEGIN
  SELECT jsonb_agg(x) INTO changes FROM (
    SELECT deal_days_change(a, o.township_id, -1) AS x
      FROM removed o JOIN added n ON n.id = o.id JOIN awards a ON a.listing_id = o.id
     WHERE o.state IN ('awarded', 'concluded')
       AND (n.state NOT IN ('awarded', 'concluded') OR n.township_id <> o.township_id)
    UNION ALL
    SELECT deal_days_change(a, n.township_id, 1)
      FROM removed o JOIN added n ON n.id = o.id JOIN awards a ON a.listing_id = n.id
     WHERE n.state IN ('awarded', 'concluded')
       AND (o.state NOT IN ('awarded', 'concluded') OR n.township_id <> o.township_id)) s;
  IF changes IS NOT NULL THEN PERFORM deal_days_apply(changes); END IF;
  RETURN NULL;
END $f$;

CREATE TRIGGER awards_deal_days_insert AFTER INSERT ON awards REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION deal_days_from_awards();
CREATE TRIGGER awards_deal_days_update AFTER UPDATE ON awards REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION deal_days_from_awards();
CREATE TRIGGER awards_deal_days_delete AFTER DELETE ON awards REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION deal_days_from_awards();
CREATE TRIGGER listings_deal_days AFTER UPDATE ON listings REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION deal_days_from_listings();

CREATE FUNCTION deal_days_rebuild() RETURNS void LANGUAGE sql AS $f$
  DELETE FROM deal_days;
  INSERT INTO deal_days (township_id, day, kind, deals, base_total, award_total, savings)
  SELECT l.township_id, (a.awarded_at AT TIME ZONE 'Asia/Shanghai')::date, a.kind,
         count(*), sum(coalesce(a.term_base_price, a.base_price)), sum(coalesce(a.term_amount, a.amount)), sum(a.savings)
    FROM awards a JOIN listings l ON l.id = a.listing_id
   WHERE l.state IN ('awarded', 'concluded')
   GROUP BY 1, 2, 3;
$f$;
SELECT deal_days_rebuild();
`,
    )
    .execute(db);
}
