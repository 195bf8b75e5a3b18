import { Router } from 'express';
import type { AppContext } from '../context';
import { ValidationError } from '../http/errors';
import '../stats/stats.messages';
import { cachedRead, defineRead, sendCachedJson } from '../cache/cache';
import { resolveScope, scopeKey } from '../board/scope';
import { parseBound } from '../stats/stats';
import { releasePackage } from './ocds';
import { loadReleases } from './ocds.service';

// every published deal's life: the listing (an auction's end too), the bidders named once revealed, the
// award, the contract, the township, the audit head and checkpoint; a tender's status follows the clock
const RELEASES = defineRead('ocds.releases', [
  'listings',
  'listings.ends_at',
  'bids',
  'users',
  'awards',
  'contracts',
  'townships',
  'audit',
  'clock.listings',
]);
// the package around them, one per address it was asked at
const PACKAGE = defineRead('ocds.package', RELEASES.dependsOn);

const PUBLISHER = '乡镇公共资源交易站 Township Public Resource Trading Station';

/** Open data: an OCDS 1.1 release package of every published deal (GET /ocds/releases). */
export function ocdsApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/ocds/releases', async (req, res) => {
    const scope = await resolveScope(ctx, req.query);
    const sinceText = typeof req.query.since === 'string' ? req.query.since.trim() : '';
    const since = sinceText ? parseBound(sinceText, 'from') : null;
    if (sinceText && !since) throw new ValidationError({ since: { key: 'stats.badDate' } });
    const uri = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
    const releasesKey = `ocds:${scopeKey(scope)}:${since?.toISOString() ?? ''}`;
    // the package names its own address, so each address has its own body; the releases are shared
    await sendCachedJson(
      ctx,
      req,
      res,
      PACKAGE,
      `${releasesKey}:${uri}`,
      async () => (await cachedRead(ctx, RELEASES, releasesKey, () => loadReleases(ctx, scope, since))).value,
      ({ releases, audit, checkpoint }) =>
        releasePackage(releases, { uri, publisherName: PUBLISHER, audit, checkpoint, now: new Date() }),
    );
  });
  return r;
}
