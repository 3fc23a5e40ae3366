import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { cached, invalidateNamespace, type CacheDeps } from "../db/cache";
import { MemoryTier } from "../db/memory-tier";
import { newMetrics } from "../db/metrics";

function deps(kv: KVNamespace = env.CACHE) {
  const pending: Promise<unknown>[] = [];
  const logged: string[] = [];
  const d: CacheDeps = { kv, metrics: newMetrics(), waitUntil: (p) => pending.push(p), log: (event) => logged.push(event) };
  return { d, logged, settle: () => Promise.all(pending) };
}

/** A loader that counts how often the cache fell through to it. */
function counter<T>(value: () => T) {
  const calls = { n: 0 };
  return { calls, load: async () => (calls.n++, value()) };
}

describe("cached (KV read-through)", () => {
  it("loads on a miss, then serves the stored value on a hit", async () => {
    const ns = `ns-${crypto.randomUUID()}`;
    const { d, settle } = deps();
    const { calls, load } = counter(() => ({ price: 1299 }));
    expect(await cached(d, ns, "p1", 60, load)).toEqual({ price: 1299 });
    await settle();
    expect(await cached(d, ns, "p1", 60, load)).toEqual({ price: 1299 });
    expect(calls.n).toBe(1);
    expect(d.metrics.cacheMs).toBeGreaterThanOrEqual(0);
  });

  it("invalidates a whole namespace at once by moving its version", async () => {
    const ns = `ns-${crypto.randomUUID()}`;
    const { d, settle } = deps();
    let price = 100;
    const { calls, load } = counter(() => ({ price }));
    await cached(d, ns, "a", 60, load);
    await cached(d, ns, "b", 60, load);
    await settle();
    price = 200;
    await invalidateNamespace(d, ns);
    expect(await cached(d, ns, "a", 60, load)).toEqual({ price: 200 });
    expect(await cached(d, ns, "b", 60, load)).toEqual({ price: 200 });
    expect(calls.n).toBe(4);
  });

  it("falls back to the loader and logs when KV fails (fail-open)", async () => {
    const failing = {
      get: () => Promise.reject(new Error("KV unavailable")),
      put: () => Promise.reject(new Error("KV unavailable")),
    } as unknown as KVNamespace;
    const { d, logged, settle } = deps(failing);
    const { calls, load } = counter(() => "from D1");
    expect(await cached(d, "ns", "k", 60, load)).toBe("from D1");
    await settle();
    expect(calls.n).toBe(1);
    expect(logged).toContain("cache.read_failed");
  });

  it("still answers when only KV writes fail", async () => {
    const writesFail = Object.assign(Object.create(env.CACHE) as KVNamespace, {
      get: env.CACHE.get.bind(env.CACHE),
      put: () => {
        throw new Error("KV write limit");
      },
    });
    const { d, logged, settle } = deps(writesFail);
    expect(await cached(d, `ns-${crypto.randomUUID()}`, "k", 60, async () => 42)).toBe(42);
    await settle();
    expect(logged).toContain("cache.write_failed");
  });

  it("serves a hot key from isolate memory without a KV read", async () => {
    const reads = { n: 0 };
    const counting = Object.assign(Object.create(env.CACHE) as KVNamespace, {
      get: ((key: string, type?: "json") => {
        reads.n++;
        return type === "json" ? env.CACHE.get(key, "json") : env.CACHE.get(key);
      }) as KVNamespace["get"],
      put: env.CACHE.put.bind(env.CACHE),
    });
    const { d, settle } = deps(counting);
    const ns = `ns-${crypto.randomUUID()}`;
    await cached(d, ns, "hot", 60, async () => "value");
    await settle();
    const afterFirst = reads.n;
    for (let i = 0; i < 5; i++) expect(await cached(d, ns, "hot", 60, async () => "reloaded")).toBe("value");
    expect(reads.n).toBe(afterFirst);
  });
});

describe("MemoryTier", () => {
  it("evicts the least recently used key, so a burst of one-off keys keeps a hot key", () => {
    const tier = new MemoryTier(3);
    tier.set("hot", 1, 60_000);
    for (let i = 0; i < 10; i++) {
      expect(tier.get("hot")).toEqual({ value: 1, until: expect.any(Number) });
      tier.set(`once-${i}`, i, 60_000);
    }
    expect(tier.get("hot")?.value).toBe(1);
    expect(tier.get("once-0")).toBeUndefined();
    expect(tier.get("once-9")?.value).toBe(9);
  });

  it("forgets an entry once its time is up", () => {
    const tier = new MemoryTier(3);
    tier.set("short", "v", -1);
    expect(tier.get("short")).toBeUndefined();
  });
});
