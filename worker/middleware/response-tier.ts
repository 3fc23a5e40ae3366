// The response tier for public queries: GET calls (or batches) of procedures marked
// `cache: "public"` are answered from stored response bytes before tRPC runs, first from the
// isolate's memory, then from the data centre's Cache API; a miss runs tRPC once per key and
// isolate, however many requests wait for it, and stores its bytes.
//
// The key is the paths, the raw input and the versions of the cache namespaces the answer came
// from (db/cache.ts), never the caller: an admin edit moves the catalog's version, so the next
// read misses exactly as the KV cache does. Only the body and its content type are stored; every
// other header (request id, Server-Timing, rate limits, D1 bookmark, CORS) is the current
// request's. Errors, responses that set cookies and anything tRPC did not mark public through
// `responseMeta` are never stored.
import { tracing } from "cloudflare:workers";
import { createMiddleware } from "hono/factory";
import { namespaceVersion } from "../../db/cache";
import { MemoryTier } from "../../db/memory-tier";
import { timed } from "../../db/metrics";
import { describeError } from "../../lib/log";
import { policies, type ProcedurePolicy } from "../../router/cache-policy";
import { CATALOG_CACHE } from "../../router/routers/catalog";
import type { AppEnv } from "../app-env";

/** What a public answer tells browsers and proxies: shareable, but always revalidated, so no
 *  cache outside ours can serve an answer from before an admin edit. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate";
// The same lifetime as the values in KV (router/routers/catalog.ts): a version bump ends it earlier.
const STORED_SECONDS = 300;
const MEMORY_MS = 30_000;
const MEMORY_ENTRIES = 500;
// Bodies over this stay out of memory (a batch of twenty long lists); the Cache API still has them.
const MEMORY_MAX_BYTES = 256 * 1024;
// Longer inputs are the caller's invention (search text is bounded at 100 characters): not stored.
const MAX_INPUT_LENGTH = 4096;

interface Stored {
  body: ArrayBuffer;
  contentType: string;
}

const memory = new MemoryTier<Stored>(MEMORY_ENTRIES);
const loading = new Map<string, Promise<Stored | null>>();

/** Forgets the isolate's stored responses (tests of the Cache API tier). */
export const forgetStoredResponses = () => memory.clear();

/** True when every path of a call (or batch) is a public query: tRPC's responseMeta asks this. */
export const allPublic = (paths: readonly string[] | undefined) =>
  paths !== undefined && paths.length > 0 && paths.every((path) => policies.get(path)?.publicCache === true);

function decodePaths(encoded: string): string[] | null {
  try {
    return decodeURIComponent(encoded).split(",");
  } catch {
    return null;
  }
}

/** The per-item namespaces (a product's reviews) the calls' inputs name; null if one cannot be read. */
function itemNamespaces(paths: readonly string[], batch: boolean, rawInput: string | undefined): string[] | null {
  const wanted = paths.map((path) => policies.get(path)?.cacheNamespace);
  if (wanted.every((ns) => ns === undefined)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawInput ?? "");
  } catch {
    return null;
  }
  const names: string[] = [];
  for (const [i, ns] of wanted.entries()) {
    if (!ns) continue;
    const call: unknown = batch ? field(parsed, String(i)) : parsed;
    const value = field(field(call, "json"), ns.field);
    if (typeof value !== "string" || value.length === 0 || value.length > 128) return null;
    names.push(`${ns.prefix}${value}`);
  }
  return names;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? Reflect.get(value, key) : undefined;

/** The procedures a GET /trpc request calls, if all of them are public queries. */
function publicCall(path: string): { paths: string[]; policies: ProcedurePolicy[] } | null {
  const paths = decodePaths(path.slice("/trpc/".length));
  if (!paths || !allPublic(paths)) return null;
  return { paths, policies: paths.map((p) => policies.get(p)).filter((p) => p !== undefined) };
}

export const responseTier = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "GET") return next();
  const call = publicCall(c.req.path);
  const rawInput = c.req.query("input");
  if (!call || (rawInput?.length ?? 0) > MAX_INPUT_LENGTH) return next();
  const batch = c.req.query("batch") === "1";
  const items = itemNamespaces(call.paths, batch, rawInput);
  if (!items) return next();

  const metrics = c.get("metrics");
  let key: string;
  try {
    const namespaces = [CATALOG_CACHE, ...items];
    const versions = await timed(metrics, "cache", () => Promise.all(namespaces.map((ns) => namespaceVersion({ kv: c.env.CACHE }, ns))));
    const params = new URLSearchParams({ batch: batch ? "1" : "0", input: rawInput ?? "", v: versions.join(",") });
    key = `https://response-tier.storefront.internal/trpc/${call.paths.map(encodeURIComponent).join(",")}?${params.toString()}`;
  } catch (error) {
    // KV is only a cache: without a version there is no key, so tRPC answers as if uncached.
    c.get("log").warn("response_tier.version_failed", describeError(error));
    return next();
  }

  const answer = (stored: Stored, how: string) => {
    c.header("server-timing", `edge;desc="${how}"`, { append: true });
    return c.body(stored.body, 200, { "content-type": stored.contentType, "cache-control": PUBLIC_CACHE_CONTROL });
  };

  const inMemory = memory.get(key);
  if (inMemory) return answer(inMemory.value, "hit-memory");

  const waiting = loading.get(key);
  if (waiting) {
    const shared = await waiting;
    if (shared) return answer(shared, "shared");
    return next();
  }

  let settle: (stored: Stored | null) => void = () => {};
  loading.set(
    key,
    new Promise<Stored | null>((resolve) => {
      settle = resolve;
    }),
  );
  try {
    const fromEdge = await tracing.enterSpan("response_tier.lookup", () => timed(metrics, "cache", () => caches.default.match(key)));
    if (fromEdge) {
      const stored = { body: await fromEdge.arrayBuffer(), contentType: fromEdge.headers.get("content-type") ?? "application/json" };
      remember(key, stored);
      settle(stored);
      return answer(stored, "hit-cache");
    }
  } catch (error) {
    c.get("log").warn("response_tier.read_failed", describeError(error));
  }

  let stored: Stored | null = null;
  try {
    await next();
    stored = await storable(c.res);
    if (stored) {
      // The response goes out with the same bytes it stored (the body stream was read once).
      c.res = new Response(stored.body, c.res);
      remember(key, stored);
      const copy = new Response(stored.body, {
        headers: { "content-type": stored.contentType, "cache-control": `public, max-age=${STORED_SECONDS}` },
      });
      c.executionCtx.waitUntil(
        caches.default.put(key, copy).catch((error: unknown) => c.get("log").warn("response_tier.write_failed", describeError(error))),
      );
    }
    c.header("server-timing", `edge;desc="${stored ? "miss" : "bypass"}"`, { append: true });
  } finally {
    loading.delete(key);
    settle(stored);
  }
});

function remember(key: string, stored: Stored) {
  if (stored.body.byteLength <= MEMORY_MAX_BYTES) memory.set(key, stored, MEMORY_MS);
}

/** The body to store, if tRPC answered every call and marked the answer public. */
export async function storable(res: Response): Promise<Stored | null> {
  if (res.status !== 200 || res.headers.has("set-cookie") || res.headers.get("cache-control") !== PUBLIC_CACHE_CONTROL) return null;
  return { body: await res.arrayBuffer(), contentType: res.headers.get("content-type") ?? "application/json" };
}
