import { Router } from 'express';
import type { AppContext } from '../context';
import { defineRead, sendCachedJson } from '../cache/cache';
import { boardToJson } from './board.json';
import { BOARD_WITH_ENDS_SOURCES, loadBoard } from './board.service';
import { resolveScope, scopeKey } from './scope';

// the parts of the board, shown with each listing's status and each result's publicity by the clock
const BOARD_JSON = defineRead('board.json', [...BOARD_WITH_ENDS_SOURCES, 'clock.listings', 'clock.publicity']);

/** The public disclosure board as JSON: the kiosk, the LED display and anyone else read it. */
export function boardApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/board', async (req, res) => {
    const scope = await resolveScope(ctx, req.query);
    await sendCachedJson(ctx, req, res, BOARD_JSON, `board.json:${scopeKey(scope)}`, async () =>
      boardToJson(await loadBoard(ctx, scope)),
    );
  });
  return r;
}
