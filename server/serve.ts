import type { Server } from 'node:http';
import net from 'node:net';
import type { AppContext } from './context';
import { createApp } from './app';
import { auctionLive } from './auctions/auctions.live';
import { StartRefusal } from './start-refusal';

export interface Serving {
  server: Server;
  /** Stops taking connections, lets requests in flight finish, closes the database, exits. */
  stop: (reason: string) => void;
}

/** Builds the app on ctx and listens on the configured port (a cluster worker shares it). */
export function serve(ctx: AppContext, close: () => Promise<void>, onListening: () => void = () => undefined): Serving {
  const { logger } = ctx;
  const server = createApp(ctx).listen(ctx.config.port, onListening);
  // open auctions end on time even when nobody is asking (each instance keeps the timers)
  const live = auctionLive(ctx);
  void live.start();
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down: no new connections, finishing requests');
    // a client holding a connection open must not keep the process alive for ever
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void live.stop(); // ends the event streams, which would otherwise hold server.close open
    server.close(() => {
      close().then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  return { server, stop };
}

/** SIGTERM (systemd, docker) and SIGINT (Ctrl-C) both mean a graceful stop. */
export function stopOnSignals(stop: (reason: string) => void): void {
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** A refusal when something already listens on the HTTP port (checked before the database is started). */
export function httpPortRefusal(port: number): Promise<StartRefusal | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE') return resolve(null); // listen() itself will say what is wrong
      resolve(
        new StartRefusal(
          'HTTP_PORT_IN_USE',
          `无法启动：HTTP 端口 ${port} 已被占用（多半是另一份检出的 npm start）。请另选一个端口，例如：\n  PORT=${port + 1} npm start`,
          `Cannot start: the HTTP port ${port} is in use (most likely by another checkout's npm start). Choose another, e.g.:\n  PORT=${port + 1} npm start`,
        ),
      );
    });
    probe.listen(port, () => probe.close(() => resolve(null)));
  });
}
