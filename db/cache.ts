// KV read-through cache for hot reads. Keys carry their namespace's version, so one write that
// bumps the version invalidates the whole namespace at once. KV is only ever a cache: if it
// fails, reads fall through to D1 and the failure is logged, never surfaced to the caller.
import { timed, type RequestMetrics } from "./metrics";

export interface CacheDeps {
  kv: KVNamespace;
  metrics: RequestMetrics;
  /** Lets cache writes finish after the response is sent. */
  waitUntil: (p: Promise<unknown>) => void;
  log: (event: string, fields: Record<string, unknown>) => void;
}

const versionKey = (namespace: string) => `v:${namespace}`;

// KV keys are limited to 512 bytes; long ones (search text, cursors) are replaced by a digest.
async function kvKey(key: string): Promise<string> {
  if (key.length <= 200) return key;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return `h:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

async function namespaceVersion(deps: CacheDeps, namespace: string): Promise<string> {
  return (await deps.kv.get(versionKey(namespace))) ?? "0";
}

export async function cached<T>(
  deps: CacheDeps,
  namespace: string,
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
): Promise<T> {
  let lookup: { fullKey: string; hit: { v: T } | null };
  try {
    lookup = await timed(deps.metrics, "cache", async () => {
      const fullKey = `${namespace}:${await namespaceVersion(deps, namespace)}:${await kvKey(key)}`;
      return { fullKey, hit: await deps.kv.get<{ v: T }>(fullKey, "json") };
    });
  } catch (error) {
    deps.log("cache.read_failed", { namespace, key, error: String(error) });
    return load();
  }
  if (lookup.hit) return lookup.hit.v;
  const value = await load();
  // KV's minimum expiration is 60 s.
  const write = Promise.resolve()
    .then(() => deps.kv.put(lookup.fullKey, JSON.stringify({ v: value }), { expirationTtl: Math.max(60, ttlSeconds) }))
    .catch((error: unknown) => deps.log("cache.write_failed", { namespace, key, error: String(error) }));
  deps.waitUntil(write);
  return value;
}

/** Invalidates every key of a namespace by moving it to a new version. */
export async function invalidateNamespace(deps: CacheDeps, namespace: string): Promise<void> {
  await timed(deps.metrics, "cache", () => deps.kv.put(versionKey(namespace), crypto.randomUUID()));
}
