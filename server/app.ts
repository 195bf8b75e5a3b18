import path from 'node:path';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { sql } from 'kysely';
import type { AppContext } from './context';
import { accountsApi } from './accounts/accounts.routes';
import { accountsPages } from './accounts/accounts.pages';
import { bearerIdentity, createPassport } from './accounts/passport';
import { sessionStore } from './accounts/session-store';
import { auditApi } from './audit/audit.routes';
import { auditPages } from './audit/audit.pages';
import { auctionsApi } from './auctions/auctions.routes';
import { trailApi } from './trail/trail.routes';
import { auctionsPages } from './auctions/auctions.pages';
import { awardsApi } from './awards/awards.routes';
import { awardsPages } from './awards/awards.pages';
import { bidsApi } from './bids/bids.routes';
import { bidsPages } from './bids/bids.pages';
import { calendarApi } from './calendar/calendar.routes';
import { calendarPages } from './calendar/calendar.pages';
import { boardApi } from './board/board.routes';
import { boardPages } from './board/board.pages';
import { markDataChanged } from './cache/cache';
import { answerFromMemory } from './cache/responses';
import { hallApi } from './hall/hall.routes';
import { hallPages } from './hall/hall.pages';
import { ocdsApi } from './ocds/ocds.routes';
import { openApiRoutes } from './openapi/openapi.routes';
import { exportsApi } from './stats/exports.routes';
import { homePages } from './home/home.pages';
import { apiNotFound, errorHandler } from './http/error-handler';
import { serveAssets, serveFavicon, serveRobots } from './http/assets';
import { compressAnswers } from './http/compression';
import { verifyCsrf } from './http/csrf';
import { NotFoundError } from './http/errors';
import { jsonBody } from './http/json-body';
import { httpLogger } from './http/logger';
import { methodNotAllowed, refuseRepeatedQuery } from './http/methods';
import { createViewEngine, VIEWS_DIR } from './http/views';
import { listingsApi } from './listings/listings.routes';
import { listingsPages } from './listings/listings.pages';
import { notificationsApi } from './notifications/notifications.routes';
import { notificationsPages, unreadInHeader } from './notifications/notifications.pages';
import { statsApi } from './stats/stats.routes';
import { statsPages } from './board/stats.pages';
import { supervisionApi } from './supervision/supervision.routes';
import { supervisionPages } from './supervision/supervision.pages';
import { townshipsApi } from './townships/townships.routes';
import { townshipsPages } from './townships/townships.pages';

/** Builds the Express app from its dependencies. It never listens: main.ts and the tests do. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (ctx.config.trustProxy) app.set('trust proxy', true);
  app.engine('hbs', createViewEngine(process.env.NODE_ENV !== 'development'));
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);

  // anonymous public reads already answered at the current data version (board, stats, open data)
  app.use(answerFromMemory(ctx));
  // everything else is compressed on the way out (the read cache sends its bytes already compressed)
  app.use(compressAnswers());
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          upgradeInsecureRequests: null, // township halls often serve plain http on the LAN
        },
      },
    }),
  );
  app.use(httpLogger(ctx.logger));
  app.use(refuseRepeatedQuery);
  // a finished write makes this instance's read cache look at the database again (read-your-writes)
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') res.on('finish', () => markDataChanged(ctx));
    next();
  });
  app.use('/static', serveAssets);
  app.get('/favicon.ico', serveFavicon);
  app.get('/robots.txt', serveRobots);
  app.use('/static', express.static(path.join(VIEWS_DIR, 'static'), { maxAge: '1h', index: false }));

  app.get('/healthz', async (_req, res) => {
    // which process answered: with WEB_CONCURRENCY > 1 a load balancer or a test can tell workers apart
    res.set('X-Worker', String(process.pid));
    try {
      await sql`SELECT 1`.execute(ctx.db);
      res.json({ ok: true });
    } catch {
      res.status(503).json({ ok: false });
    }
  });

  const passport = createPassport(ctx);

  // ---- JSON API: bearer tokens, no cookies, so no CSRF surface
  const api = express.Router();
  api.use(jsonBody('1mb'));
  api.use(passport.initialize());
  api.use(bearerIdentity(passport));
  for (const router of [
    accountsApi,
    townshipsApi,
    listingsApi,
    auctionsApi, // before bidsApi: it claims POST /listings/:id/open for auction listings
    bidsApi,
    awardsApi,
    boardApi,
    exportsApi,
    statsApi,
    hallApi,
    ocdsApi,
    trailApi,
    auditApi,
    supervisionApi,
    calendarApi,
    notificationsApi,
  ]) {
    api.use(router(ctx));
  }
  api.use(openApiRoutes());
  api.use(methodNotAllowed(api));
  api.use(apiNotFound);
  app.use('/api/v1', api);
  app.use('/api', apiNotFound);

  // ---- pages: sessions in PostgreSQL (shared by every instance), CSRF on every form
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(
    session({
      store: sessionStore(ctx.pool, ctx.config.sessionPruneSeconds),
      name: 'tts.sid',
      secret: ctx.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 8 * 3600_000 },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(unreadInHeader(ctx));
  app.use((req, res, next) => {
    const lang = req.query.lang;
    if (lang === 'zh' || lang === 'en')
      res.cookie('lang', lang, { maxAge: 365 * 24 * 3600_000, sameSite: 'lax', httpOnly: true });
    next();
  });
  app.use(verifyCsrf);
  for (const router of [
    homePages,
    townshipsPages,
    listingsPages,
    auctionsPages, // before bidsPages: an auction listing's opening form closes the auction
    bidsPages,
    awardsPages,
    boardPages,
    statsPages,
    hallPages,
    auditPages,
    supervisionPages,
    calendarPages,
    notificationsPages,
  ]) {
    app.use(router(ctx));
  }
  app.use(accountsPages(ctx, passport));
  app.use((_req, _res, next) => next(new NotFoundError()));
  app.use(errorHandler);
  return app;
}
