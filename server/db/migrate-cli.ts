import { loadConfig } from '../config';
import { connectDatabase } from './connect';
import { migrateToLatest } from './migrator';

// npm run db:migrate — migrates DATABASE_URL, or the embedded database when none is set.
async function main() {
  const config = loadConfig();
  const conn = await connectDatabase(config, (m) => console.error(m));
  try {
    const applied = await migrateToLatest(conn.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await conn.close();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
