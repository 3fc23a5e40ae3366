// Bindings that exist only in tests (see vitest.config.ts).
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      SEED_BEFORE_VARIANTS: string;
      MIGRATION_DB: D1Database;
    }
  }
}
