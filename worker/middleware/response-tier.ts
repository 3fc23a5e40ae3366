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
import { namespaceVersion, rememberedVersion, versionBookmark } from "../../db/cache";
import { newerBookmark, validBookmark } from "../../db/client";
import { MemoryTier } from "../../db/memory-tier";
import { timed, type RequestMetrics } from "../../db/metrics";
import { describeError } from "../../lib/log";
import { policies } from "../../router/cache-policy";
import { CATALOG_CACHE } from "../../router/routers/catalog";
import type { AppEnv } from "../app-env";

/**
 * What a public answer tells browsers and proxies: shareable, but revalidated before every reuse,
 * so no cache outside ours can serve an answer from before an admin edit. No max-age: locally, a
 * response with one also runs through Miniflare's cache simulator (+2.5 ms of CPU per request in
 * `bench:profile`), which production does not.
 */
export const PUBLIC_CACHE_CONTROL = "public, no-cache";
// The same lifetime as the values in KV (router/routers/catalog.ts): a version bump ends it earlier.
const STORED_SECONDS = 300;
const MEMORY_MS = 30_000;
const MEMORY_ENTRIES = 500;
// Bodies over this stay out of memory (a batch of twenty long lists); the Cache API still has them.
const MEMORY_MAX_BYTES = 256 * 1024;
// Longer inputs are the caller's invention (search text is bounded at 100 characters): not stored.
const MAX_INPUT_LENGTH = 4096;
const CATALOG_ONLY = [CATALOG_CACHE];

interface Stored {
  body: ArrayBuffer;
  contentType: string;
}

// Per isolate on purpose: stored answers are bytes and headers (plain values, no Response or
// stream), and a load in flight is shared as a promise of those, so no request holds another's I/O.
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
function itemNamespaces(paths: readonly string[], batch: boolean, rawInput: () => string | undefined): string[] | null {
  const wanted = paths.map((path) => policies.get(path)?.cacheNamespace);
  if (wanted.every((ns) => ns === undefined)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawInput() ?? "");
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

// Per path (the procedure list of a call or batch): whether every procedure is a public query.
// Bounded: a caller can invent paths without end.
const publicPaths = new Map<string, string[] | null>();
function publicCall(path: string): string[] | null {
  let known = publicPaths.get(path);
  if (known === undefined) {
    const paths = decodePaths(path.slice("/trpc/".length));
    known = paths && allPublic(paths) ? paths : null;
    if (publicPaths.size >= 1_000) publicPaths.clear();
    publicPaths.set(path, known);
  }
  return known;
}

// The versions of the namespaces a call's answer came from, without I/O when this isolate
// remembers them (the hit path); null when KV cannot say (no key, so no cache).
async function versionsOf(namespaces: readonly string[], kv: KVNamespace, metrics: RequestMetrics): Promise<string> {
  const remembered = namespaces.map(rememberedVersion);
  if (remembered.every((v) => v !== undefined)) return remembered.join(",");
  return timed(metrics, "cache", async () => (await Promise.all(namespaces.map((ns) => namespaceVersion({ kv }, ns)))).join(","));
}

export const responseTier = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "GET") return next();
  const paths = publicCall(c.req.path);
  if (!paths) return next();
  // The raw query string keys the entry as sent: two spellings of one input are two entries,
  // each with its own correct answer, and the hit path never decodes the input.
  const url = c.req.url;
  const q = url.indexOf("?");
  const search = q < 0 ? "" : url.slice(q + 1);
  if (search.length > MAX_INPUT_LENGTH) return next();
  const batch = /(?:^|&)batch=1(?:&|$)/.test(search);
  const items = itemNamespaces(paths, batch, () => c.req.query("input"));
  if (!items) return next();

  const metrics = c.get("metrics");
  let versions: string | null;
  try {
    versions = await versionsOf(items.length ? [CATALOG_CACHE, ...items] : CATALOG_ONLY, c.env.CACHE, metrics);
  } catch (error) {
    // KV is only a cache: without a version there is no key, so tRPC answers as if uncached.
    c.get("log").warn("response_tier.version_failed", describeError(error));
    versions = null;
  }
  if (versions === null) return next();
  // A miss loads under these versions: its session starts at the newest write they record, so a
  // replica behind that write never fills the new version with the old answer.
  let after: string | null = null;
  for (const version of versions.split(",")) after = newerBookmark(after, validBookmark(versionBookmark(version)));
  if (after) c.set("minBookmark", after);
  const key = `https://response-tier.storefront.internal${c.req.path}?${search}${search ? "&" : ""}__v=${encodeURIComponent(versions)}`;

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
