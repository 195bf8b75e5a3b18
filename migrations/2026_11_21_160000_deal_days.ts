import { Kysely, sql } from 'kysely';

// Daily deal totals per township and kind, so a district's or the whole platform's statistics read a
// few thousand summary rows instead of joining every award with its listing (at 100,000 deals the
// three aggregates of one district took 280 ms together on 2 cores; see test/bench/RESULTS.md).
//
// A deal is an award whose listing is awarded or concluded, dated by awarded_at's calendar day in
// Asia/Shanghai. Statement triggers with transition tables keep the totals in the same transaction as
// the change, whoever makes it (the app, the seeds, an import): adding an award to a listing that is
// a deal, a listing entering or leaving the deal states, an award changed or removed. A load that
// turns triggers off calls deal_days_rebuild() afterwards. Rows left at zero deals (an award
// reversed) stay, and readers skip them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE TABLE deal_days (
  township_id uuid NOT NULL REFERENCES townships(id),
  day date NOT NULL,
  kind text NOT NULL,
  deals integer NOT NULL,
  base_total numeric(14,2) NOT NULL,
  award_total numeric(14,2) NOT NULL,
  savings numeric(14,2) NOT NULL,
  PRIMARY KEY (township_id, day, kind)
);

-- changes: award rows as JSON (to_jsonb of awards) with the deal's township_id and a sign, +1 or -1
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

-- one change: an award counted (+1) or no longer counted (-1) for a township
CREATE FUNCTION deal_days_change(award awards, township_id uuid, sign integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
  SELECT to_jsonb(award) || jsonb_build_object('township_id', township_id, 'sign', sign);
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

-- all totals again from the awards: here, and after a bulk load that ran with triggers off
-- (session_replication_role = replica, as the benchmark's loader does)
CREATE FUNCTION deal_days_rebuild() RETURNS void LANGUAGE sql AS $f$
  DELETE FROM deal_days;
  INSERT INTO deal_days (township_id, day, kind, deals, base_total, award_total, savings)
  SELECT l.township_id, (a.awarded_at AT TIME ZONE 'Asia/Shanghai')::date, a.kind,
         count(*), sum(a.base_price), sum(a.amount), sum(a.savings)
    FROM awards a JOIN listings l ON l.id = a.listing_id
   WHERE l.state IN ('awarded', 'concluded')
   GROUP BY 1, 2, 3;
$f$;
SELECT deal_days_rebuild();
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
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
DROP TABLE IF EXISTS deal_days;
`,
    )
    .execute(db);
}
