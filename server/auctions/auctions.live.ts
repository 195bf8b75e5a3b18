import { Client, ClientConfig } from 'pg';
import type { AppContext } from '../context';
import { AUCTION_CHANNEL } from './auctions.repository';
import { AuctionSignal, endAuctionIfDue, listRunningAuctions } from './auctions.service';

// Live auctions on every app instance. Each instance keeps one LISTEN connection of its own (the read
// cache's connection is its own business and must not wait on a slow watcher) and hears every accepted bid and
// every end as the committing transaction's NOTIFY, in commit order: watchers on this instance get them
// from here, whichever instance took the bid. Each instance also keeps a timer per running auction; at
// the end it asks the database (endAuctionIfDue), which marks the end once under the listing lock, so
// `end` is sent exactly once across instances and arrives here like any other signal.

export type Watcher = (signal: AuctionSignal) => void;

const RETRY_MS = 1000;
/**
 * Running auctions are looked for at start, soon after any change of a listing (the read cache's channel
 * says which table changed: a publish is heard within moments), and this often in any case.
 */
const RESCAN_MS = 30_000;
const SCAN_DEBOUNCE_MS = 200;
const DATA_CHANNEL = 'tts_data_changed';
/** setTimeout's limit is about 24.8 days; a later end is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class AuctionLive {
  private client: Client | null = null;
  private connected = false;
  private retryAt = 0;
  private started = false;
  private rescan: NodeJS.Timeout | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly streams = new Set<() => void>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** resolves once LISTEN is in place (tests and the event stream wait for it before reading) */
  private ready: Promise<void> | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** Listens and schedules the running auctions' ends; idempotent. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      void this.scan();
      this.rescan = setInterval(() => void this.scan(), RESCAN_MS);
      this.rescan.unref();
    }
    return this.listen();
  }

  /** Ends every event stream, stops listening and every timer (an app closing, a test ending). */
  async stop(): Promise<void> {
    this.started = false;
    for (const end of [...this.streams]) end();
    this.streams.clear();
    if (this.rescan) clearInterval(this.rescan);
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = null;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const client = this.client;
    this.client = null;
    this.connected = false;
    this.ready = null;
    if (client) await client.end().catch(() => undefined);
  }

  get listening(): boolean {
    return this.connected;
  }

  watcherCount(listingId?: string): number {
    if (listingId) return this.watchers.get(listingId)?.size ?? 0;
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Calls fn for every bid and end of the listing heard from now on; returns the unsubscribe. */
  watch(listingId: string, fn: Watcher): () => void {
    let set = this.watchers.get(listingId);
    if (!set) {
      set = new Set();
      this.watchers.set(listingId, set);
    }
    set.add(fn);
    return () => {
      const s = this.watchers.get(listingId);
      if (!s) return;
      s.delete(fn);
      if (s.size === 0) this.watchers.delete(listingId);
    };
  }

  /** An open event stream's closer, called when the instance stops; returns the unregister. */
  addStream(end: () => void): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  /** Makes sure a timer fires at this auction's end (a later end replaces an earlier timer). */
  schedule(listingId: string, endsAt: Date): void {
    if (!this.started) return;
    const at = endsAt.getTime();
    const existing = this.timers.get(listingId);
    if (existing && existing.at === at) return;
    if (existing) clearTimeout(existing.timer);
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => void this.fire(listingId, at), delay);
    timer.unref();
    this.timers.set(listingId, { at, timer });
  }

  private async fire(listingId: string, at: number): Promise<void> {
    if (this.timers.get(listingId)?.at === at) this.timers.delete(listingId);
    try {
      const result = await endAuctionIfDue(this.ctx, listingId);
      // still running (extended, or this machine's clock ran ahead of the database's): look again then
      if (!result.over) this.schedule(listingId, new Date(Date.now() + result.msLeft + 1));
    } catch (err) {
      if (this.poolClosed()) return;
      this.ctx.logger.warn({ err, listingId }, 'auction end check failed: retrying');
      this.schedule(listingId, new Date(Date.now() + RETRY_MS));
    }
  }

  private async scan(): Promise<void> {
    if (this.poolClosed()) return;
    try {
      for (const a of await listRunningAuctions(this.ctx)) this.schedule(a.listingId, a.endsAt);
    } catch (err) {
      if (!this.poolClosed()) this.ctx.logger.warn({ err }, 'auction scan failed');
    }
  }

  /** A listing changed somewhere (published, cancelled …): look for running auctions again, once per burst. */
  private scanSoon(): void {
    if (this.scanTimer || !this.started) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = null;
      void this.scan();
    }, SCAN_DEBOUNCE_MS);
    this.scanTimer.unref();
  }

  private poolClosed(): boolean {
    return this.ctx.pool.ending || this.ctx.pool.ended;
  }

  private deliver(signal: AuctionSignal): void {
    if (signal.type === 'bid') this.schedule(signal.listingId, new Date(signal.endsAt));
    else {
      const t = this.timers.get(signal.listingId);
      if (t) clearTimeout(t.timer);
      this.timers.delete(signal.listingId);
    }
    const set = this.watchers.get(signal.listingId);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(signal);
      } catch (err) {
        this.ctx.logger.warn({ err }, 'auction watcher failed');
      }
    }
  }

  private listen(): Promise<void> {
    if (this.ready) return this.ready;
    if (this.poolClosed() || Date.now() < this.retryAt) return Promise.resolve();
    const client = new Client((this.ctx.pool as unknown as { options: ClientConfig }).options);
    this.client = client;
    const drop = () => {
      if (this.client !== client) return;
      this.client = null;
      this.connected = false;
      this.ready = null;
      this.retryAt = Date.now() + RETRY_MS;
      client.end().catch(() => undefined);
      // keep listening while watchers wait or ends are due; bids missed meanwhile are replayed by
      // the event stream from its Last-Event-ID
      if (this.started) setTimeout(() => void this.listen(), RETRY_MS).unref();
    };
    client.on('notification', (msg) => {
      if (msg.channel === DATA_CHANNEL) {
        if (msg.payload === 'listings') this.scanSoon();
        return;
      }
      if (msg.channel !== AUCTION_CHANNEL || !msg.payload) return;
      try {
        this.deliver(JSON.parse(msg.payload) as AuctionSignal);
      } catch (err) {
        this.ctx.logger.warn({ err }, 'unreadable auction signal');
      }
    });
    client.on('error', drop);
    client.on('end', drop);
    this.ready = client
      .connect()
      .then(() => client.query(`LISTEN ${AUCTION_CHANNEL}; LISTEN ${DATA_CHANNEL}`))
      .then(
        () => {
          if (this.client === client) this.connected = true;
        },
        () => drop(),
      );
    return this.ready;
  }
}

// one per database handle: tests run several apps, each on its own pool (two on one database are two instances)
const lives = new WeakMap<object, AuctionLive>();

export function auctionLive(ctx: AppContext): AuctionLive {
  let live = lives.get(ctx.db);
  if (!live) {
    live = new AuctionLive(ctx);
    lives.set(ctx.db, live);
  }
  return live;
}
