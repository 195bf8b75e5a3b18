import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole, requireUser } from '../http/access';
import { userToJson } from './accounts';
import { bodyOf } from '../http/forms';
import { authenticate, createUser, issueToken, listUsers, registerBidder, revokeToken } from './accounts.service';
import { forgetSecret, onSignIn } from '../keys/keys.service';

export function accountsApi(ctx: AppContext): Router {
  const r = Router();
  r.post('/auth/token', async (req, res) => {
    const user = await authenticate(ctx, bodyOf(req).username, bodyOf(req).password, req.ip ?? 'unknown');
    const { token, expiresAt } = await issueToken(ctx, user);
    // the password is known only now: the personal key is made or opened, and a bidder's kept for this token
    await onSignIn(ctx, user, String(bodyOf(req).password), token, expiresAt);
    res.json({ token, expiresAt: expiresAt.toISOString(), user: userToJson(user) });
  });
  r.delete('/auth/token', requireUser, async (req, res) => {
    const token = req.get('authorization')!.replace(/^Bearer\s+/i, '');
    await revokeToken(ctx, token);
    await forgetSecret(ctx, token);
    res.status(204).end();
  });
  r.get('/me', requireUser, (req, res) => {
    res.json(userToJson(currentUser(req)));
  });
  r.post('/bidders', async (req, res) => {
    const user = await registerBidder(ctx, req.body);
    res.status(201).json({ id: user.id, username: user.username, role: user.role });
  });
  r.post('/users', requireRole('admin'), async (req, res) => {
    res.status(201).json(userToJson(await createUser(ctx, currentUser(req), req.body)));
  });
  r.get('/users', requireRole('admin'), async (_req, res) => {
    res.json((await listUsers(ctx)).map((u) => ({ ...userToJson(u), name: u.name, disabled: u.disabled })));
  });
  return r;
}
