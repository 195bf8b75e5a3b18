import net from 'node:net';

// A child process of the auction bench (test/bench/auction.ts) holding a share of the event-stream
// watchers, so that 2,000 stream readers do not share one event loop with the bench's own clock,
// its bidders and its LISTEN connection. Each watcher is a plain TCP socket speaking HTTP/1.1 to the
// app: the request is written by hand and the answer is scanned for `id: N\nevent: bid` as it comes,
// with no HTTP or EventSource parser in between. Its arrival is Date.now() when the bytes are read:
// the same machine clock the database stamps a bid's time with.
//
// Messages from the parent: {type: 'open', urls, path, count} → {type: 'ready', opened, failed};
// {type: 'report'} → {type: 'report', arrivals: [seq, times[]][], ends}; {type: 'close'}.

interface OpenMessage {
  type: 'open';
  urls: string[];
  path: string;
  count: number;
}
type Message = OpenMessage | { type: 'report' } | { type: 'close' };

const OPEN_BATCH = 50;
const BID = /id: (\d+)\nevent: bid\n/g;
const sockets: net.Socket[] = [];
const arrivals = new Map<number, number[]>();
let ends = 0;

function send(msg: unknown) {
  process.send?.(msg);
}

/** One watcher: resolves once the app has answered 200 with its headers. */
function openOne(url: string, path: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    const seen = new Set<number>();
    let headers = true;
    let tail = '';
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => {
      const now = Date.now();
      // latin1 keeps every byte one character: the ASCII the scan looks for is intact, whatever else is there
      let text = tail + chunk.toString('latin1');
      if (headers) {
        const cut = text.indexOf('\r\n\r\n');
        if (cut < 0) {
          tail = text;
          return;
        }
        if (!text.startsWith('HTTP/1.1 200')) {
          socket.destroy();
          reject(new Error(`event stream answered ${text.slice(0, 40)}`));
          return;
        }
        headers = false;
        text = text.slice(cut + 4);
        resolve();
      }
      for (const m of text.matchAll(BID)) {
        const seq = Number(m[1]);
        if (seen.has(seq)) continue; // the tail kept from the last read may hold it again
        seen.add(seq);
        let times = arrivals.get(seq);
        if (!times) arrivals.set(seq, (times = []));
        times.push(now);
      }
      if (text.includes('event: end\n')) ends += 1;
      tail = text.slice(-64);
    });
    socket.on('error', (err) => (headers ? reject(err) : undefined));
    sockets.push(socket);
  });
}

async function open(m: OpenMessage) {
  let opened = 0;
  let failed = 0;
  for (let i = 0; i < m.count; i += OPEN_BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(m.count, i + OPEN_BATCH); j += 1)
      batch.push(openOne(m.urls[j % m.urls.length], m.path));
    for (const r of await Promise.allSettled(batch)) {
      if (r.status === 'fulfilled') opened += 1;
      else failed += 1;
    }
  }
  send({ type: 'ready', opened, failed });
}

process.on('message', (m: Message) => {
  if (m.type === 'open') void open(m);
  else if (m.type === 'report') send({ type: 'report', arrivals: [...arrivals.entries()], ends });
  else {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
