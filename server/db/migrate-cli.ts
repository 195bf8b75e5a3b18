import { loadConfig } from '../config';
import { connectDatabase } from './connect';

// npm run db:migrate — migrates as the owner (MIGRATION_DATABASE_URL, DATABASE_URL, or the embedded database)
// and gives the serving role its rights (creating it when only one URL is given).
async function main() {
  const config = loadConfig();
  const conn = await connectDatabase(config, (m) => console.error(m), { migrate: true });
  try {
    const { applied } = conn;
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await conn.close();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
