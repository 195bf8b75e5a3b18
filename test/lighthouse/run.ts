/**
 * `npm run lighthouse`: Lighthouse (mobile, its default throttling) on the home page, the board and a listing page
 * of a running app, printing the four category scores per page. Not part of `npm test` or `.ci/run`: it takes a
 * minute or two and its performance score follows the machine's load.
 *
 *   PORT=3917 npm start                         # in another terminal (embedded database, demo data)
 *   LIGHTHOUSE_URL=http://localhost:3917 npm run lighthouse
 *
 * Lighthouse is not a dependency of the project: it runs with `npx --yes lighthouse@12` (downloaded once into
 * npm's cache), or the binary named by LIGHTHOUSE_BIN. Chromium is /usr/bin/chromium unless CHROME_PATH says.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BASE = (process.env.LIGHTHOUSE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

interface Report {
  categories: Record<(typeof CATEGORIES)[number], { score: number | null }>;
  audits: Record<string, { score: number | null; title: string; scoreDisplayMode: string }>;
}

async function aListing(): Promise<string> {
  const res = await fetch(`${BASE}/api/v1/board`);
  if (!res.ok) throw new Error(`GET ${BASE}/api/v1/board answered ${res.status}: is the app running there?`);
  const board = (await res.json()) as { announcements: { id: string }[] };
  const id = board.announcements[0]?.id;
  if (!id) throw new Error('the board has no announcement to measure a listing page with (seed the demo data)');
  return `/listings/${id}`;
}

async function lighthouse(url: string): Promise<Report> {
  const [cmd, ...pre] = process.env.LIGHTHOUSE_BIN ? [process.env.LIGHTHOUSE_BIN] : ['npx', '--yes', 'lighthouse@12'];
  const { stdout } = await run(
    cmd,
    [
      ...pre,
      url,
      '--output=json',
      '--output-path=stdout',
      '--quiet',
      `--only-categories=${CATEGORIES.join(',')}`,
      '--chrome-flags=--headless=new --no-sandbox',
    ],
    { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, maxBuffer: 64 << 20 },
  );
  return JSON.parse(stdout) as Report;
}

async function main() {
  const pages: [string, string][] = [
    ['home', '/'],
    ['board', '/board'],
    ['listing', await aListing()],
  ];
  const load = os.loadavg().map((n) => n.toFixed(2));
  console.log(`Lighthouse (mobile) against ${BASE}, load average ${load.join(' / ')}, ${os.cpus().length} cores`);
  console.log(['page', ...CATEGORIES].map((c) => c.padEnd(15)).join(''));
  for (const [name, path] of pages) {
    const report = await lighthouse(BASE + path);
    const scores = CATEGORIES.map((c) => {
      const s = report.categories[c].score;
      return s === null ? '—' : String(Math.round(s * 100));
    });
    console.log([name, ...scores].map((c) => c.padEnd(15)).join(''));
    // what cost points, so the next fix is plain
    const misses = Object.entries(report.audits)
      .filter(([, a]) => a.score !== null && a.score < 0.9 && ['binary', 'numeric'].includes(a.scoreDisplayMode))
      .map(([id, a]) => `${id} (${Math.round((a.score ?? 0) * 100)})`);
    if (misses.length) console.log(`  below 90: ${misses.join(', ')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
