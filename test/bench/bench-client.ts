import crypto from 'node:crypto';
import http from 'node:http';
import pino from 'pino';
import { createPasswordHasher } from '../../server/accounts/passwords';
import { loadConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import type { Db } from '../../server/db/db';
import { listingSteps } from '../../server/listing-steps';
import { inboxNotifier } from '../../server/notifications/notifier';

// What several benches share: a context for calling services directly, and one POST with a bearer token.

/** A context for services called in the bench's own process: silent, with throwaway keys. */
export function benchContext(db: Db): AppContext {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  return {
    db,
    pool: undefined as never,
    config,
    logger: pino({ level: 'silent' }),
    hasher: createPasswordHasher(config.argon2),
    sealKey: crypto.randomBytes(32),
    sessionSecret: 'bench',
    notifier: inboxNotifier,
    auditSigningKey: crypto.generateKeyPairSync('ed25519').privateKey,
    listingSteps,
  };
}

/** POSTs a JSON body with a bearer token; json is null when the answer is not JSON. answeredAt is Date.now() then. */
export function postJson(
  url: string | URL,
  token: string,
  body: string,
  agent: http.Agent | false = false,
): Promise<{ status: number; json: any; answeredAt: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const answeredAt = Date.now();
          try {
            resolve({ status, json: JSON.parse(text || '{}'), answeredAt });
          } catch {
            resolve({ status, json: null, answeredAt });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
