import type { Request, Response } from 'express';
import type { AppContext } from '../context';
import { historyItemToJson } from './auctions';
import { auctionLive } from './auctions.live';
import { AuctionSignal, catchUpAuction, findVisibleAuction } from './auctions.service';

// GET /listings/:id/auction/events: server-sent events. `bid` carries a history item plus endsAt and
// the bid's sequence number as the event id; a client that reconnects with Last-Event-ID (or asks
// ?after=N) first gets every bid it missed, from the database, so no accepted bid is lost or reordered.
// `end` comes once the auction is over (or cancelled: `cancelled: true`), then the stream closes. A comment
// every config.auctionHeartbeatMs (15 s) keeps proxies from timing out an idle stream.

// one signal reaches every watcher of an instance as the same object: its frame is encoded once, to bytes
const frames = new WeakMap<AuctionSignal, Buffer>();
function bidFrame(s: Extract<AuctionSignal, { type: 'bid' }>): Buffer {
  let frame = frames.get(s);
  if (!frame) {
    frame = Buffer.from(`id: ${s.item.seq}\nevent: bid\ndata: ${JSON.stringify({ ...s.item, endsAt: s.endsAt })}\n\n`);
    frames.set(s, frame);
  }
  return frame;
}

function resumeFrom(req: Request): number | null {
  const raw = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
  if (raw === undefined || !/^\d{1,9}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

export async function streamAuctionEvents(ctx: AppContext, req: Request, res: Response, listingId: string) {
  const listing = await findVisibleAuction(ctx, listingId); // 404 before any header is sent
  const live = auctionLive(ctx);
  await live.start();

  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  req.socket.setNoDelay(true); // every frame goes out as written (Node's default, said here because it matters)
  res.flushHeaders();
  res.write('retry: 3000\n\n');

  let lastSeq = resumeFrom(req) ?? 0;
  let open = true;
  let replaying = true;
  const pending: AuctionSignal[] = [];
  const send = (s: AuctionSignal) => {
    if (!open) return;
    if (s.type === 'bid') {
      if (s.item.seq <= lastSeq) return; // already sent by the replay
      lastSeq = s.item.seq;
      res.write(bidFrame(s));
      return;
    }
    const data = { endedAt: s.endedAt, bidCount: s.bidCount, ...(s.cancelled ? { cancelled: true } : {}) };
    res.write(`event: end\ndata: ${JSON.stringify(data)}\n\n`);
    close();
    res.end();
  };
  const unwatch = live.watch(listingId, (s) => (replaying ? pending.push(s) : send(s)));
  const heartbeat = setInterval(() => open && res.write(': keep-alive\n\n'), ctx.config.auctionHeartbeatMs);
  heartbeat.unref();
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unwatch();
    unregister();
  };
  const unregister = live.addStream(() => {
    close();
    res.end();
  });
  req.on('close', close);
  res.on('close', close); // the connection went away, whichever side noticed first
  res.on('error', close);

  // subscribed first, then read: a bid committed in between is in both, and sent once (by seq)
  const { missed, end } = await catchUpAuction(ctx, listing, resumeFrom(req) !== null ? lastSeq : null);
  for (const b of missed) send({ type: 'bid', listingId, item: historyItemToJson(b), endsAt: b.endsAt.toISOString() });
  if (end) {
    const cancelled = end.cancelled ? { cancelled: true as const } : {};
    send({ type: 'end', listingId, endedAt: end.endedAt.toISOString(), bidCount: end.bidCount, ...cancelled });
  } else {
    live.schedule(listingId, listing.endsAt); // this instance's timer, should it be the first to know
  }
  replaying = false;
  for (const s of pending.splice(0)) send(s);
}
