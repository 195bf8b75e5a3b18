import { Kysely, sql } from 'kysely';

// Cache invalidation, not business logic: one version number per source of data the public reads show
// (server/cache/version.ts), so a read is keyed only by the sources it declares.
//
// A statement on a source table sends NOTIFY tts_data_changed with the source's name (as before) and
// remembers the source for its transaction; at commit a deferred trigger adds one to each remembered
// source's row in data_versions. The rows are locked in name order at commit time only, so two
// transactions bump the same source in the order they commit (a reader never sees a later number with
// earlier data) and never deadlock on these rows; a source nobody writes costs nothing.
//
// Sources beyond plain tables:
//  - listings.ends_at: an UPDATE that only moves open auctions' ends (限时竞价 extensions; updated_at
//    may move with them). Every other change of a listing is `listings`. Reads that show the current
//    end declare both; the board page, the statistics and the hall figures do not see a bid at all.
//  - bids: changes to bids of listings whose bids are revealed (opened, or cancelled after opening).
//    Sealed bids before opening change nothing a reader may see, and the deadline burst stays free
//    of any shared row; the opening changes the listing too.
//  - users: a name or user name changed, or a user removed (a new user is shown nowhere until a bid
//    or an award names them, and that row is a change of its own).
const PLAIN = ['audit', 'awards', 'contracts', 'hall_entries', 'townships', 'township_rules', 'deal_days'];
const SOURCES = [...PLAIN, 'listings', 'listings.ends_at', 'bids', 'users'];
const OLD_NOTIFY = ['audit', 'listings', 'awards', 'contracts', 'hall_entries', 'townships', 'township_rules'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
${OLD_NOTIFY.map((t) => `DROP TRIGGER IF EXISTS ${t}_notify_change ON ${t};`).join('\n')}
DROP FUNCTION IF EXISTS notify_data_changed();

CREATE TABLE data_versions (
  source text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO data_versions (source) VALUES ${SOURCES.map((s) => `('${s}')`).join(', ')};

-- one row per transaction that changed a source, gone at its commit (its insert queues the bump)
CREATE UNLOGGED TABLE data_version_bumps (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);

CREATE FUNCTION data_version_mark(source text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE marked text := coalesce(current_setting('tts.changed_sources', true), '');
BEGIN
  PERFORM pg_notify('tts_data_changed', source);
  IF marked = '' THEN
    PERFORM set_config('tts.changed_sources', source, true);
    INSERT INTO data_version_bumps DEFAULT VALUES;
  ELSIF NOT source = ANY (string_to_array(marked, ',')) THEN
    PERFORM set_config('tts.changed_sources', marked || ',' || source, true);
  END IF;
END $f$;

CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE marked text[] := string_to_array(coalesce(current_setting('tts.changed_sources', true), ''), ',');
BEGIN
  PERFORM set_config('tts.changed_sources', '', true);
  UPDATE data_versions d SET version = d.version + 1
    FROM (SELECT source FROM data_versions WHERE source = ANY (marked) ORDER BY source FOR UPDATE) s
   WHERE d.source = s.source;
  DELETE FROM data_version_bumps WHERE id = NEW.id;
  RETURN NULL;
END $f$;

CREATE CONSTRAINT TRIGGER data_version_bumps_at_commit AFTER INSERT ON data_version_bumps
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump();

CREATE FUNCTION data_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM data_version_mark(TG_TABLE_NAME);
  RETURN NULL;
END $f$;
${PLAIN.map(
  (t) => `CREATE TRIGGER ${t}_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t}
  FOR EACH STATEMENT EXECUTE FUNCTION data_changed();`,
).join('\n')}

-- listings: an auction's end moving alone is listings.ends_at, anything else listings
CREATE FUNCTION listings_data_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  -- (the transition tables exist for the UPDATE trigger only: nothing else may name them)
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
         SELECT 1 FROM removed o FULL JOIN added n ON n.id = o.id
          WHERE o.id IS NULL OR n.id IS NULL OR n.method <> 'auction' OR n.state <> 'published'
             OR (to_jsonb(o) - 'ends_at' - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'ends_at' - 'updated_at'))
       AND EXISTS (SELECT 1 FROM removed o JOIN added n ON n.id = o.id WHERE n.ends_at IS DISTINCT FROM o.ends_at) THEN
      PERFORM data_version_mark('listings.ends_at');
      RETURN NULL;
    END IF;
  END IF;
  PERFORM data_version_mark('listings');
  RETURN NULL;
END $f$;
CREATE TRIGGER listings_data_changed_update AFTER UPDATE ON listings
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION listings_data_changed();
CREATE TRIGGER listings_data_changed AFTER INSERT OR DELETE OR TRUNCATE ON listings
  FOR EACH STATEMENT EXECUTE FUNCTION listings_data_changed();

-- bids: only bids whose listing has revealed them (the same rule as revealedSql in server/listings/status.ts)
CREATE FUNCTION bids_data_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE touched uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN SELECT array_agg(DISTINCT listing_id) INTO touched FROM added;
  ELSIF TG_OP = 'DELETE' THEN SELECT array_agg(DISTINCT listing_id) INTO touched FROM removed;
  ELSE SELECT array_agg(DISTINCT listing_id) INTO touched FROM (SELECT listing_id FROM added UNION SELECT listing_id FROM removed) c;
  END IF;
  IF EXISTS (SELECT 1 FROM listings l WHERE l.id = ANY (touched)
              AND (l.state IN ('opened', 'failed', 'awarded', 'concluded') OR (l.state = 'cancelled' AND l.opened_at IS NOT NULL))) THEN
    PERFORM data_version_mark('bids');
  END IF;
  RETURN NULL;
END $f$;
CREATE TRIGGER bids_data_changed_insert AFTER INSERT ON bids
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION bids_data_changed();
CREATE TRIGGER bids_data_changed_update AFTER UPDATE ON bids
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION bids_data_changed();
CREATE TRIGGER bids_data_changed_delete AFTER DELETE ON bids
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION bids_data_changed();
CREATE TRIGGER bids_data_changed AFTER TRUNCATE ON bids FOR EACH STATEMENT EXECUTE FUNCTION data_changed();

-- users: what the reads show of a user is the name (or the user name)
CREATE TRIGGER users_data_changed AFTER UPDATE OF name, username OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION data_changed();

-- the clock's moments, read as index probes: the last end that has passed and the next one ahead
CREATE INDEX listings_published_end_idx ON listings ((coalesce(ends_at, bid_deadline))) WHERE state = 'published';
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
DROP INDEX IF EXISTS listings_published_end_idx;
DROP TRIGGER IF EXISTS users_data_changed ON users;
DROP TRIGGER IF EXISTS bids_data_changed ON bids;
DROP TRIGGER IF EXISTS bids_data_changed_delete ON bids;
DROP TRIGGER IF EXISTS bids_data_changed_update ON bids;
DROP TRIGGER IF EXISTS bids_data_changed_insert ON bids;
DROP FUNCTION IF EXISTS bids_data_changed();
DROP TRIGGER IF EXISTS listings_data_changed ON listings;
DROP TRIGGER IF EXISTS listings_data_changed_update ON listings;
DROP FUNCTION IF EXISTS listings_data_changed();
${PLAIN.map((t) => `DROP TRIGGER IF EXISTS ${t}_data_changed ON ${t};`).join('\n')}
DROP FUNCTION IF EXISTS data_changed();
DROP TABLE IF EXISTS data_version_bumps;
DROP FUNCTION IF EXISTS data_version_bump();
DROP FUNCTION IF EXISTS data_version_mark(text);
DROP TABLE IF EXISTS data_versions;

CREATE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM pg_notify('tts_data_changed', TG_TABLE_NAME);
  RETURN NULL;
END $f$;
${OLD_NOTIFY.map((t) => `CREATE TRIGGER ${t}_notify_change AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();`).join('\n')}
`,
    )
    .execute(db);
}
