// Applies the drizzle-kit migrations to each test file's isolated D1 database.
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
