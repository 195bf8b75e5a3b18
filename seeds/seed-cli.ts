import { loadConfig } from '../server/config';
import { openContext } from '../server/bootstrap';
import { seedDemo } from './seed';

// npm run db:seed — idempotent: seeding twice changes nothing.
async function main() {
  const { ctx, close } = await openContext({ ...loadConfig(), migrateOnStart: true });
  try {
    await seedDemo(ctx);
    console.log('demo data seeded');
  } finally {
    await close();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
