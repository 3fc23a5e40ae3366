// Two projects: "workers" runs inside workerd with real D1, KV and Durable Objects (migrations
// applied per test file); "node" (vitest.node.config.ts) checks what only Node can, such as
// bundling the client, and runs the unit tests of the pure rules.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { fakeStripe } from "./test/stripe-fake.ts";

const migrations = await readD1Migrations("./migrations");
// The demo data as scripts/seed.ts wrote it for the schema of migration 0010 (before variants),
// for test/migrate-variants.test.ts, which migrates a copy of it.
const seedBeforeVariants = readFileSync("./test/fixtures/seed-0010.sql", "utf8");

export default defineConfig({
  test: {
    // Request logs are useful when a test fails and noise when it passes.
    silent: "passed-only",
    // Three files at a time, whatever the machine: vitest's default (cores - 1) runs a 2-core
    // machine's whole suite one file after another, though most of a file's time is waiting
    // (on workerd, or on the node project's tsc and esbuild children) rather than computing.
    // Measured on the 2-core machine, idle: 2 workers 116–134 s, 3 workers 95 s, 4 workers 96 s.
    maxWorkers: 3,
    projects: [
      {
        plugins: [
          cloudflareTest({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ENVIRONMENT: "test",
                // A cross-origin frontend for the CORS tests (wrangler.toml's production list is empty).
                ALLOWED_ORIGINS: "http://localhost:5173",
                JWT_SECRET: "test-secret-test-secret-test-secret-0123456789",
                PAYMENT_PROVIDER: "test",
                STRIPE_WEBHOOK_SECRET: "whsec_test_0123456789abcdef",
                // Mails go to the development mailbox (/dev/mailbox), never out.
                MAIL_TRANSPORT: "mailbox",
                WEB_ORIGIN: "http://storefront.test",
                TEST_MIGRATIONS: migrations,
                SEED_BEFORE_VARIANTS: seedBeforeVariants,
              },
              // A database of its own for the migration test, which applies migrations step by step.
              d1Databases: { DB: "storefront", MIGRATION_DB: "migration-test" },
              // The Worker's outbound fetches: Stripe's API is the local fake (test/stripe-fake.ts),
              // at its own host too (stripe-fake.test, for STRIPE_API_BASE); anything else is
              // refused, so no test reaches the network.
              outboundService: async (request: Request) =>
                ["api.stripe.com", "stripe-fake.test"].includes(new URL(request.url).hostname)
                  ? fakeStripe(request)
                  : new Response("blocked by the test configuration", { status: 599 }),
            },
          }),
        ],
        // As wrangler.toml's [alias]: Node-only imports of trpc-to-openapi that Workers never call.
        resolve: {
          alias: [
            // The client's source, not its built dist/ (client/package.json).
            { find: /^@storefront\/client$/, replacement: fileURLToPath(new URL("./client/src/index.ts", import.meta.url)) },
            { find: /^co-body$/, replacement: fileURLToPath(new URL("./worker/stubs/co-body.ts", import.meta.url)) },
            { find: /^yaml$/, replacement: fileURLToPath(new URL("./worker/stubs/yaml.ts", import.meta.url)) },
            { find: /^zod\/v4$/, replacement: fileURLToPath(new URL("./worker/stubs/zod-v4.ts", import.meta.url)) },
          ],
        },
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          exclude: ["test/node/**"],
          setupFiles: ["./test/setup/apply-migrations.ts"],
          // Tests of sign-up and login do real Argon2id hashes (~70 ms on a quiet core, several
          // times that on a busy 2-core machine): vitest's 5 s default is not honest. Tests that
          // hash dozens of times set their own, larger timeout.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      "./vitest.node.config.ts",
    ],
  },
});
