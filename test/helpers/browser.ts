import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, Browser } from 'playwright-core';

// What the browser tests (test/browser/) share: the app listening on a free local port, and Debian's Chromium.

export const CHROMIUM = '/usr/bin/chromium';

/** The app on a free port of 127.0.0.1, once it listens, and its base URL. */
export async function listenLocally(app: Express): Promise<{ server: Server; base: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Headless Chromium from Debian's package (a clear error when it is not installed), with extra flags if given. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', ...extraArgs],
  });
}
