import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { cached, invalidateNamespace, kvWriteBudget, KV_WRITES_PER_REQUEST, type CacheDeps } from "../db/cache";
import { encodeCursor } from "../domain/cursor";
import { MemoryTier } from "../db/memory-tier";
import { newMetrics } from "../db/metrics";
import { createProduct } from "./helpers/shop";

function deps(kv: KVNamespace = env.CACHE) {
  const pending: Promise<unknown>[] = [];
  const logged: string[] = [];
  const d: CacheDeps = {
    kv,
    metrics: newMetrics(),
    waitUntil: (p) => pending.push(p),
    log: (event) => logged.push(event),
    kvWrites: kvWriteBudget(),
  };
  return { d, logged, settle: () => Promise.all(pending) };
}

const always = () => true;

/** The value KV holds for `key`, read around the isolate's memory tier. */
const inKv = async (ns: string, key: string) => env.CACHE.get<{ v: unknown }>(`${ns}:0:${key}`, "json");

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
    expect(await cached(d, ns, "p1", 60, load, always)).toEqual({ price: 1299 });
    await settle();
    expect(await inKv(ns, "p1")).toEqual({ v: { price: 1299 } });
    expect(await cached(d, ns, "p1", 60, load, always)).toEqual({ price: 1299 });
    expect(calls.n).toBe(1);
  });

  it("invalidates a whole namespace at once by moving its version", async () => {
    const ns = `ns-${crypto.randomUUID()}`;
    const { d, settle } = deps();
    let price = 100;
    const { calls, load } = counter(() => ({ price }));
    await cached(d, ns, "a", 60, load, always);
    await cached(d, ns, "b", 60, load);
    await settle();
    price = 200;
    await invalidateNamespace(d, ns);
    expect(await cached(d, ns, "a", 60, load, always)).toEqual({ price: 200 });
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
    expect(await cached(d, "ns", "k", 60, load, always)).toBe("from D1");
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
    expect(await cached(d, `ns-${crypto.randomUUID()}`, "k", 60, async () => 42, always)).toBe(42);
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
    await cached(d, ns, "hot", 60, async () => "value", always);
    await settle();
    const afterFirst = reads.n;
    for (let i = 0; i < 5; i++) expect(await cached(d, ns, "hot", 60, async () => "reloaded", always)).toBe("value");
    expect(reads.n).toBe(afterFirst);
  });

  it("keeps a value in memory only unless the caller marks it for KV", async () => {
    const ns = `ns-${crypto.randomUUID()}`;
    const { d, settle } = deps();
    const { calls, load } = counter(() => null);
    expect(await cached(d, ns, "missing", 60, load)).toBeNull();
    expect(
      await cached(
        d,
        ns,
        "empty",
        60,
        async () => [],
        (rows) => rows.length > 0,
      ),
    ).toEqual([]);
    await settle();
    expect(await inKv(ns, "missing")).toBeNull();
    expect(await inKv(ns, "empty")).toBeNull();
    // Still served from memory: repeating an unknown key does not reach D1 again.
    expect(await cached(d, ns, "missing", 60, load)).toBeNull();
    expect(calls.n).toBe(1);
    expect(d.kvWrites.left).toBe(KV_WRITES_PER_REQUEST);
  });

  it(`writes at most ${KV_WRITES_PER_REQUEST} keys to KV per request, the rest to memory`, async () => {
    const ns = `ns-${crypto.randomUUID()}`;
    const { d, settle } = deps();
    const keys = Array.from({ length: KV_WRITES_PER_REQUEST + 3 }, (_, i) => `k${i}`);
    for (const key of keys) expect(await cached(d, ns, key, 60, async () => key, always)).toBe(key);
    await settle();
    const stored = await Promise.all(keys.map((key) => inKv(ns, key)));
    expect(stored.filter((v) => v !== null)).toHaveLength(KV_WRITES_PER_REQUEST);
    expect(d.kvWrites.left).toBe(0);
    // The next request has its own budget.
    const next = deps();
    await cached(next.d, ns, "later", 60, async () => "later", always);
    await next.settle();
    expect(await inKv(ns, "later")).toEqual({ v: "later" });
  });
});

describe("MemoryTier", () => {
  it("evicts the least recently used key, so a burst of one-off keys keeps a hot key", () => {
    const tier = new MemoryTier(3);
    tier.set("hot", 1, 60_000);
    for (let i = 0; i < 10; i++) {
      expect(tier.get("hot")?.value).toBe(1);
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

// Anonymous traffic must not be able to fill KV: every key written there costs a write and stays
// until it expires. Counted through the Worker, in the real KV namespace.
describe("KV writes from anonymous traffic", () => {
  const random = () => crypto.randomUUID().slice(0, 12);

  async function cacheKeys(): Promise<Set<string>> {
    const keys = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const page = await env.CACHE.list(cursor ? { cursor } : {});
      for (const key of page.keys) keys.add(key.name);
      if (page.list_complete) return keys;
      cursor = page.cursor;
    }
  }

  /** One batched GET of `calls` anonymous queries to `procedure`. */
  async function batch(procedure: string, inputs: unknown[]) {
    const input = Object.fromEntries(inputs.map((json, i) => [i, { json }]));
    const response = await SELF.fetch(
      `http://storefront.test/trpc/${inputs.map(() => procedure).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
    );
    expect(response.status, procedure).toBeLessThan(500);
    return response;
  }

  /**
   * The keys written since `before`, once the writes of the requests so far have landed: cache
   * writes finish after the response (waitUntil), so a last request that must be stored marks
   * the point; its key is left out of the answer.
   */
  async function newKeysSince(before: Set<string>) {
    const marker = await createProduct();
    await batch("catalog.get", [{ slug: marker.slug }]);
    const deadline = Date.now() + 5_000;
    for (;;) {
      const added = [...(await cacheKeys())].filter((k) => !before.has(k));
      if (added.some((k) => k.endsWith(`:detail:${marker.slug}`))) return added.filter((k) => !k.endsWith(`:detail:${marker.slug}`));
      if (Date.now() > deadline) throw new Error("the marker's cache write never landed");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("writes no key for unknown slugs, random searches, invented cursors or unknown products", async () => {
    const product = await createProduct();
    const before = await cacheKeys();
    const calls = 20;
    const many = <T>(make: () => T) => Array.from({ length: calls }, make);
    await batch(
      "catalog.get",
      many(() => ({ slug: `no-such-${random()}` })),
    );
    await batch(
      "catalog.list",
      many(() => ({ q: random() })),
    );
    await batch(
      "catalog.list",
      many(() => ({ q: product.name.slice(0, 7), limit: 1 + Math.floor(Math.random() * 100) })),
    );
    await batch(
      "catalog.list",
      many(() => ({ cursor: encodeCursor({ v: Date.now() - Math.floor(Math.random() * 1e9), id: random() }) })),
    );
    await batch(
      "catalog.list",
      many(() => ({ category: `no-such-${random()}` })),
    );
    await batch(
      "catalog.recommendations",
      many(() => ({ productId: random() })),
    );
    await batch(
      "reviews.list",
      many(() => ({ productId: random() })),
    );
    await batch(
      "reviews.list",
      many(() => ({ productId: product.id, cursor: encodeCursor({ v: Date.now(), id: random() }) })),
    );
    expect(await newKeysSince(before)).toEqual([]);
  });

  it(`writes at most ${KV_WRITES_PER_REQUEST} keys for one batched request, however many calls it holds`, async () => {
    const products = await Promise.all(Array.from({ length: 20 }, () => createProduct()));
    const before = await cacheKeys();
    await batch(
      "catalog.get",
      products.map((p) => ({ slug: p.slug })),
    );
    const added = await newKeysSince(before);
    expect(added.length).toBeGreaterThan(0);
    expect(added.length).toBeLessThanOrEqual(KV_WRITES_PER_REQUEST);
  });
});
