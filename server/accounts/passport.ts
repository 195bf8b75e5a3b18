import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { UnauthenticatedError } from '../http/errors';
import * as repo from './accounts.repository';
import { hashToken } from './accounts';
import { authenticate } from './accounts.service';

/**
 * Passport only establishes identity: local (username + password, for pages, into a session kept
 * in PostgreSQL) and bearer (API tokens). Access rules live in http/access.ts.
 */
export function createPassport(ctx: AppContext) {
  const passport = new Passport();
  passport.use(
    'local',
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      authenticate(ctx, username, password, req.ip ?? 'unknown').then(
        (user) => done(null, user),
        (err) => done(err),
      );
    }),
  );
  passport.use(
    'bearer',
    new BearerStrategy((token, done) => {
      repo.findUserByToken(ctx.db, hashToken(token)).then(
        (user) => done(null, user ?? false),
        (err) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    repo.findActiveUserById(ctx.db, id).then(
      (user) => done(null, user ?? false),
      (err) => done(err),
    );
  });
  return passport;
}

/** API identity: a Bearer header must be valid (else 401); without one the caller is anonymous. */
export function bearerIdentity(passport: ReturnType<typeof createPassport>): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (!header) return next();
    if (!/^Bearer\s+\S+$/i.test(header)) return next(new UnauthenticatedError());
    const authenticate: RequestHandler = passport.authenticate(
      'bearer',
      { session: false },
      (err: unknown, user: Express.User | false) => {
        if (err) return next(err);
        if (!user) return next(new UnauthenticatedError());
        req.user = user;
        next();
      },
    ) as RequestHandler;
    authenticate(req, res, next);
  };
}
