// The bench's plain-Hono peer of catalog.get (`GET /__peer/product`, only in the bench's build):
// the same cached product read without the typed layer, in the same Worker and isolate.
import type { Context } from "hono";
import { cached, kvWriteBudget } from "../db/cache";
import { findActiveProductBySlug } from "../db/catalog";
import { createDb } from "../db/client";
import { readConfig } from "../lib/config";
import { toProductView } from "../router/views/product";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";

/**
 * catalog.get's work, hand-written: the slug checked as its zod schema does (trimmed, 1 to 120
 * characters), the same KV cache helper with the same namespace and key (so both read the same
 * cached entry), the same Drizzle query and view mapping, and `c.json` instead of tRPC, zod and
 * superjson. Like catalog.get, no rate-limiter call. Mounted after the middleware chain.
 */
export async function benchPeerProduct(c: Context<AppEnv>) {
  const raw = c.req.query("slug");
  const slug = typeof raw === "string" ? raw.trim() : "";
  if (slug.length < 1 || slug.length > 120) return errorResponse(c, "BAD_REQUEST", "slug: 1 to 120 characters.");

  const config = readConfig(c.env);
  const metrics = c.get("metrics");
  const db = createDb(c.env.DB, metrics);
  const deps = {
    kv: c.env.CACHE,
    metrics,
    waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p),
    log: (event: string, fields: Record<string, unknown>) => c.get("log").warn(event, fields),
    kvWrites: kvWriteBudget(),
  };
  const row = await cached(
    deps,
    "catalog",
    `get:${slug}`,
    300,
    async () => (await findActiveProductBySlug(db, slug)) ?? null,
    (r) => r !== null,
  );
  if (!row) return errorResponse(c, "NOT_FOUND", "No such product.");
  return c.json(toProductView(row, config.lowStockThreshold));
}
