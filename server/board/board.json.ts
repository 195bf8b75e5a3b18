import { announcementToJson, resultToJson } from './board';
import type { BoardData } from './board.service';

/** GET /board's body (API.md) plus the audit head, so anyone who noted it can detect a rewrite. */
export function boardToJson(board: BoardData, now = new Date()) {
  return {
    announcements: board.announcements.map((l) => announcementToJson(l, now)),
    results: board.results.map((r) => resultToJson(r, now)),
    updatedAt: board.updatedAt.toISOString(),
    audit: board.audit,
    checkpoint: board.checkpoint,
  };
}
