import { Router, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { AppError } from '../http/errors';
import { bodyOf, formErrors, formField } from '../http/forms';
import { detectLang, t } from '../http/i18n';
import { loginPathFor, safeNext } from '../http/next';
import { redirectWithNotice, renderPage } from '../http/views';
import { listTownships } from '../townships/townships.service';
import { homePathFor, ROLES } from './accounts';
import { createUser, listUsers, registerBidder } from './accounts.service';
import type { createPassport } from './passport';
import { forgetSecret, onSignIn } from '../keys/keys.service';

/** The way back to what a signed-out person was doing (a safe `next`), for the sign-in and register forms. */
function wayBack(req: Request) {
  const next = safeNext(req.method === 'GET' ? req.query.next : bodyOf(req).next);
  return { next, registerHref: loginPathFor(next, 'register'), loginHref: loginPathFor(next) };
}

export function accountsPages(ctx: AppContext, passport: ReturnType<typeof createPassport>): Router {
  const r = Router();

  const showLogin = (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) =>
    renderPage(
      req,
      res,
      'accounts/login',
      { title: t(detectLang(req), 'accounts.loginTitle'), form: true, ...wayBack(req), ...extra },
      status,
    );

  r.get('/login', (req, res) =>
    showLogin(req, res, { notice: req.query.registered ? t(detectLang(req), 'accounts.registered') : undefined }),
  );
  r.post('/login', (req, res, next) => {
    const authenticate: RequestHandler = passport.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err || !user) {
        if (err && !(err instanceof AppError)) return next(err);
        const status = err instanceof AppError ? err.status : 401;
        return showLogin(
          req,
          res,
          { ...formErrors(req, err ?? new AppError(401, 'INVALID_CREDENTIALS')), username: formField(req, 'username') },
          status,
        );
      }
      // passport regenerates the session here: a fixated session id is thrown away
      const back = wayBack(req).next;
      req.login(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        // the personal key is made or opened with the password; a bidder's is kept for this session only
        const expiresAt = new Date(Date.now() + (req.session.cookie.maxAge ?? 8 * 3600_000));
        onSignIn(ctx, user, String(bodyOf(req).password), req.sessionID, expiresAt).then(
          () => res.redirect(303, back ?? homePathFor(user.role)),
          next,
        );
      });
    }) as RequestHandler;
    authenticate(req, res, next);
  });
  r.post('/logout', (req, res, next) => {
    const sid = req.sessionID;
    req.logout((err) => {
      if (err) return next(err);
      forgetSecret(ctx, sid).then(() => res.redirect(303, '/'), next);
    });
  });

  r.get('/register', (req, res) =>
    renderPage(req, res, 'accounts/register', {
      title: t(detectLang(req), 'accounts.registerTitle'),
      form: true,
      ...wayBack(req),
    }),
  );
  r.post('/register', async (req, res) => {
    try {
      await registerBidder(ctx, req.body);
      const back = wayBack(req).next;
      res.redirect(303, back ? `/login?registered=1&next=${encodeURIComponent(back)}` : '/login?registered=1');
    } catch (err) {
      renderPage(
        req,
        res,
        'accounts/register',
        {
          title: t(detectLang(req), 'accounts.registerTitle'),
          form: true,
          ...wayBack(req),
          values: { ...req.body, password: '' },
          ...formErrors(req, err),
        },
        (err as AppError).status,
      );
    }
  });

  const showUsers = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const [users, townships] = await Promise.all([listUsers(ctx), listTownships(ctx)]);
    const townshipName = new Map(townships.map((tw) => [tw.id, tw.name]));
    renderPage(
      req,
      res,
      'accounts/users',
      {
        title: t(lang, 'accounts.usersTitle'),
        users: users.map((u) => ({
          ...u,
          roleLabel: t(lang, `role.${u.role}`),
          township: u.townshipId ? townshipName.get(u.townshipId) : '',
        })),
        roles: ROLES.map((role) => ({ role, label: t(lang, `role.${role}`) })),
        townships,
        ...extra,
      },
      status,
    );
  };
  r.get('/admin/users', requireRole('admin'), (req, res) => showUsers(req, res));
  r.post('/admin/users', requireRole('admin'), async (req, res) => {
    try {
      await createUser(ctx, currentUser(req), { ...bodyOf(req), townshipId: formField(req, 'townshipId') || null });
      redirectWithNotice(req, res, '/admin/users', 'accounts.userCreated');
    } catch (err) {
      await showUsers(
        req,
        res,
        { ...formErrors(req, err), values: { ...req.body, password: '' } },
        (err as AppError).status,
      );
    }
  });
  return r;
}
