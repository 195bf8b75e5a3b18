import { Router } from 'express';
import type { AppContext } from '../context';
import { sendCachedJson } from '../cache/cache';
import { boardToJson } from './board.json';
import { loadBoard } from './board.service';
import { resolveScope, scopeKey } from './scope';

/** The public disclosure board as JSON: the kiosk, the LED display and anyone else read it. */
export function boardApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/board', async (req, res) => {
    const scope = await resolveScope(ctx, req.query);
    await sendCachedJson(ctx, req, res, `board.json:${scopeKey(scope)}`, async () =>
      boardToJson(await loadBoard(ctx, scope)),
    );
  });
  return r;
}
