// D1 round trips per procedure, read from Server-Timing, one call each (caches warm unless noted).
import { randomUUID } from "node:crypto";
import { d1Trips, trpc, type AuthResult, type Call } from "./calls.ts";
import { log } from "./harness.ts";
import { batchPath, tenQueries, type BenchContext } from "./setup.ts";

export interface Probe {
  procedure: string;
  status: number;
  d1RoundTrips: number | null;
  note?: string;
}

export async function probeRoundTrips(ctx: BenchContext): Promise<Probe[]> {
  const { rt, cache, hot, a, alice, runId } = ctx;
  const probes: Probe[] = [];
  const probe = async (procedure: string, call: () => Promise<Call>, note?: string) => {
    const c = await call();
    probes.push({ procedure, status: c.status, d1RoundTrips: d1Trips(c.serverTiming), note });
  };
  await probe("GET /healthz", async () => {
    const r = await fetch(`${rt.url}/healthz`);
    await r.text();
    return { status: r.status, body: null, serverTiming: r.headers.get("server-timing"), ms: 0 };
  });
  await cache.put("v:catalog", randomUUID());
  await probe("catalog.get", () => trpc(rt, "catalog.get", { slug: hot.slug }), "cache miss");
  await probe("catalog.get", () => trpc(rt, "catalog.get", { slug: hot.slug }), "cache hit");
  await probe("catalog.list", () => trpc(rt, "catalog.list", {}), "cache miss");
  await probe("catalog.list", () => trpc(rt, "catalog.list", {}), "cache hit");
  await probe("catalog.list search", () => trpc(rt, "catalog.list", { q: "kettle" }), "cache miss");
  await probe("catalog.list search", () => trpc(rt, "catalog.list", { q: "kettle" }), "cache hit");
  await probe("catalog.categories", () => trpc(rt, "catalog.categories", undefined), "cache miss");
  await probe("catalog.recommendations", () => trpc(rt, "catalog.recommendations", { productId: a.id }), "cache miss");
  await probe("reviews.list", () => trpc(rt, "reviews.list", { productId: a.id }), "cache miss");
  await probe("reviews.list", () => trpc(rt, "reviews.list", { productId: a.id }), "cache hit");
  await probe("cart.get", () => trpc(rt, "cart.get", undefined, { token: alice.accessToken }), "session cached in the isolate");
  await probe("auth.me", () => trpc(rt, "auth.me", undefined, { token: alice.accessToken }));
  await probe("auth.login", () =>
    trpc(rt, "auth.login", { email: "bob@storefront.local", password: "Bob-Storefront-1" }, { mutation: true }),
  );
  const bob = (await trpc(rt, "auth.login", { email: "bob@storefront.local", password: "Bob-Storefront-1" }, { mutation: true }))
    .body as AuthResult;
  await probe(
    "cart.addItem",
    () => trpc(rt, "cart.addItem", { productId: a.id, quantity: 1 }, { token: bob.accessToken, mutation: true }),
    "first call of a new session: + 1 for the session check",
  );
  await probe(
    "cart.addItem",
    () => trpc(rt, "cart.addItem", { productId: a.id, quantity: 1 }, { token: bob.accessToken, mutation: true }),
    "session cached in the isolate",
  );
  await probe("checkout.placeOrder", () =>
    trpc(
      rt,
      "checkout.placeOrder",
      {
        idempotencyKey: `probe-${runId}`,
        shippingAddress: { name: "Bob", line1: "1 Road", city: "Town", region: "OR", postalCode: "1", country: "US" },
        paymentToken: "tok_visa",
      },
      { token: bob.accessToken, mutation: true },
    ),
  );
  const batch = batchPath(tenQueries(ctx));
  await probe(
    `batch of the ten queries of scenario 7`,
    async () => {
      const r = await fetch(`${rt.url}${batch}`, { headers: { "cf-connecting-ip": "10.251.0.1" } });
      await r.text();
      return { status: r.status, body: null, serverTiming: r.headers.get("server-timing"), ms: 0 };
    },
    "caches warm",
  );
  for (const p of probes) log(`D1 round trips: ${p.procedure}${p.note ? ` (${p.note})` : ""}: ${p.d1RoundTrips} [HTTP ${p.status}]`);
  return probes;
}
