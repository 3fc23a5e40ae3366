// Read-through cache for hot reads: a small in-isolate memory tier in front of KV, in front of
// D1. Keys carry their namespace's version, so one write that bumps the version invalidates the
// whole namespace at once. KV is only ever a cache: if it fails, reads fall through to D1 and
// the failure is logged, never surfaced to the caller.
//
// Only values a caller marks as worth persisting reach KV, and at most KV_WRITES_PER_REQUEST of
// them per request: anyone can make up a slug, a search or a cursor, and every KV key costs a
// write and lives until it expires, so a key space the caller controls stays in memory only.
import { tracing } from "cloudflare:workers";
import { sha256Hex } from "../domain/encoding";
import { MemoryTier } from "./memory-tier";
import { timed, type RequestMetrics } from "./metrics";

// Other isolates see a version bump within VERSION_MEMORY_MS (plus KV's own propagation); the
// isolate that made the write sees it at once.
const VERSION_MEMORY_MS = 5_000;
const VALUE_MEMORY_MS = 30_000;
const MEMORY_ENTRIES = 1_000;
// The most a product page needs (product, reviews, recommendations, categories); a batch of 20
// calls writes no more than this, the rest stay in memory.
export const KV_WRITES_PER_REQUEST = 4;

// Per isolate on purpose (the memory tier): it holds plain values with their expiry, never a binding or stream.
const memory = new MemoryTier(MEMORY_ENTRIES);

export interface CacheDeps {
  kv: KVNamespace;
  metrics: RequestMetrics;
  /** Lets cache writes finish after the response is sent. */
  waitUntil: (p: Promise<unknown>) => void;
  log: (event: string, fields: Record<string, unknown>) => void;
  /** KV writes this request may still make (one per request, from kvWriteBudget()). */
  kvWrites: { left: number };
  /** The request's D1 bookmark after its writes: a version bump carries it (see versionBookmark). */
  bookmark?: () => string | null;
}

export const kvWriteBudget = () => ({ left: KV_WRITES_PER_REQUEST });

/**
 * Which loaded values may be written to KV. The default keeps every value in memory only: a
 * caller persists only keys from a bounded set (a real product, a first page) and never empty
 * or negative results, which anyone can make up without end.
 */
export type Persist<T> = (value: T) => boolean;
const memoryOnly = () => false;

const versionKey = (namespace: string) => `v:${namespace}`;

// KV keys are limited to 512 bytes; long ones (search text, cursors) are replaced by a digest.
async function kvKey(key: string): Promise<string> {
  if (key.length <= 200) return key;
  return `h:${await sha256Hex(key)}`;
}

/** The namespace's version if this isolate remembers it (no I/O): the response tier's fast path. */
export function rememberedVersion(namespace: string): string | undefined {
  const remembered = memory.get(versionKey(namespace));
  return remembered && typeof remembered.value === "string" ? remembered.value : undefined;
}

/** A namespace's current version: part of every key of it, here and in the response tier. */
export async function namespaceVersion(deps: Pick<CacheDeps, "kv">, namespace: string): Promise<string> {
  const remembered = rememberedVersion(namespace);
  if (remembered !== undefined) return remembered;
  const version = (await deps.kv.get(versionKey(namespace))) ?? "0";
  memory.set(versionKey(namespace), version, VERSION_MEMORY_MS);
  return version;
}

export async function cached<T>(
  deps: CacheDeps,
  namespace: string,
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  persist: Persist<T> = memoryOnly,
): Promise<T> {
  let lookup: { fullKey: string; hit: { v: T } | null };
  try {
    // A named span in Workers traces, with the tier that answered (memory, kv, or none).
    lookup = await tracing.enterSpan("cache.lookup", (span) =>
      timed(deps.metrics, "cache", async () => {
        span.setAttribute("cache.namespace", namespace);
        const fullKey = `${namespace}:${await namespaceVersion(deps, namespace)}:${await kvKey(key)}`;
        const inMemory = memory.get(fullKey);
        if (inMemory) {
          span.setAttribute("cache.hit", "memory");
          return { fullKey, hit: inMemory.value as { v: T } };
        }
        const hit = await deps.kv.get<{ v: T }>(fullKey, "json");
        span.setAttribute("cache.hit", hit ? "kv" : "none");
        if (hit) memory.set(fullKey, hit, Math.min(VALUE_MEMORY_MS, ttlSeconds * 1000));
        return { fullKey, hit };
      }),
    );
  } catch (error) {
    deps.log("cache.read_failed", { namespace, key, error: String(error) });
    return load();
  }
  if (lookup.hit) return lookup.hit.v;
  const value = await load();
  memory.set(lookup.fullKey, { v: value }, Math.min(VALUE_MEMORY_MS, ttlSeconds * 1000));
  if (!persist(value) || deps.kvWrites.left <= 0) return value;
  deps.kvWrites.left--;
  // KV's minimum expiration is 60 s.
  const write = Promise.resolve()
    .then(() => deps.kv.put(lookup.fullKey, JSON.stringify({ v: value }), { expirationTtl: Math.max(60, ttlSeconds) }))
    .catch((error: unknown) => deps.log("cache.write_failed", { namespace, key, error: String(error) }));
  deps.waitUntil(write);
  return value;
}

/** Invalidates every key of a namespace by moving it to a new version. */
export async function invalidateNamespace(deps: CacheDeps, namespace: string): Promise<void> {
  // With read replicas, a reader that sees the new version may still be on a replica without the
  // write: it would store the old value under the new version. The version carries the writer's
  // bookmark, and the response tier starts such a reader's session there (versionBookmark).
  const bookmark = deps.bookmark?.() ?? null;
  const version = bookmark ? `${crypto.randomUUID()}.${bookmark}` : crypto.randomUUID();
  await timed(deps.metrics, "cache", () => deps.kv.put(versionKey(namespace), version));
  memory.set(versionKey(namespace), version, VERSION_MEMORY_MS);
}

/** The D1 bookmark a version was written at (invalidateNamespace), if it carries one. */
export const versionBookmark = (version: string): string | null => {
  const dot = version.indexOf(".");
  return dot < 0 ? null : version.slice(dot + 1);
};
