// The edge cache and response tier for public queries: what is stored, under which key, what a
// hit carries, and what is never stored. Hit or miss is read from Server-Timing's `edge` entry.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readPolicies } from "../router/cache-policy";
import { authedProcedure, cachedPublicProcedure, publicProcedure, router } from "../router/trpc";
import { buildApp } from "../worker/app";
import { forgetStoredResponses, PUBLIC_CACHE_CONTROL, storable } from "../worker/middleware/response-tier";
import { contextFor } from "./helpers/callers";
import { signedUpUser, uniqueIp } from "./helpers/client";
import { createProduct, signedUpAdmin } from "./helpers/shop";

const url = (path: string) => `http://storefront.test${path}`;
const query = (procedure: string, input?: unknown) =>
  `/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
const batchOf = (calls: [string, unknown][]) =>
  `/trpc/${calls.map(([p]) => p).join(",")}?batch=1&input=${encodeURIComponent(
    JSON.stringify(Object.fromEntries(calls.map(([, input], i) => [String(i), { json: input }]))),
  )}`;

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await SELF.fetch(url(path), { headers: { "cf-connecting-ip": uniqueIp(), ...headers } });
  const body = await response.text();
  const timing = response.headers.get("server-timing") ?? "";
  const edge = /edge;desc="([a-z-]+)"/.exec(timing)?.[1] ?? null;
  const trips = Number(/(\d+) D1 round trips/.exec(timing)?.[1] ?? NaN);
  return { response, body, edge, trips };
}

describe("edge cache of public queries", () => {
  it("stores a public query's answer and serves the same bytes, with fresh per-request headers", async () => {
    const product = await createProduct();
    const path = query("catalog.get", { slug: product.slug });
    const miss = await get(path, { "x-request-id": "edge-miss-0001" });
    expect(miss.response.status).toBe(200);
    expect(miss.edge).toBe("miss");
    expect(miss.response.headers.get("cache-control")).toBe(PUBLIC_CACHE_CONTROL);

    const hit = await get(path, { "x-request-id": "edge-hit-00001" });
    expect(hit.edge).toBe("hit-memory");
    expect(hit.body).toBe(miss.body);
    expect(hit.trips).toBe(0);
    expect(hit.response.headers.get("content-type")).toBe(miss.response.headers.get("content-type"));
    expect(hit.response.headers.get("cache-control")).toBe(PUBLIC_CACHE_CONTROL);
    expect(hit.response.headers.get("x-request-id")).toBe("edge-hit-00001");
    expect(hit.response.headers.get("x-d1-bookmark")).toBeNull();
    expect(hit.response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(hit.response.headers.get("server-timing")?.match(/total;/g)).toHaveLength(1);

    // From the data centre's cache (the isolate's memory forgotten): the same bytes again.
    forgetStoredResponses();
    const fromEdge = await get(path, { "x-request-id": "edge-hit-00002" });
    expect(fromEdge.edge).toBe("hit-cache");
    expect(fromEdge.body).toBe(miss.body);
    expect(fromEdge.response.headers.get("x-request-id")).toBe("edge-hit-00002");
    expect(fromEdge.response.headers.get("server-timing")?.match(/total;/g)).toHaveLength(1);
  });

  it("serves a signed-in shopper from the same entry: the token is not part of the key", async () => {
    const product = await createProduct();
    const path = query("catalog.get", { slug: product.slug });
    const anonymous = await get(path);
    const shopper = await signedUpUser();
    const signedIn = await get(path, { authorization: `Bearer ${shopper.session.tokens!.accessToken}` });
    expect(anonymous.edge).toBe("miss");
    expect(signedIn.edge).toBe("hit-memory");
    expect(signedIn.body).toBe(anonymous.body);
  });

  it("shows an admin edit on the next read", async () => {
    const product = await createProduct({ name: "Before Edit" });
    const path = query("catalog.get", { slug: product.slug });
    expect((await get(path)).body).toContain("Before Edit");
    expect((await get(path)).edge).toBe("hit-memory");
    const admin = await signedUpAdmin();
    await admin.client.admin.products.update.mutate({ id: product.id, name: "After Edit" });
    const next = await get(path);
    expect(next.edge).toBe("miss");
    expect(next.body).toContain("After Edit");
  });

  it("shows a new review on the next reviews.list (keyed by the product's reviews version)", async () => {
    const product = await createProduct();
    const path = query("reviews.list", { productId: product.id });
    expect((await get(path)).body).toContain('"items":[]');
    expect((await get(path)).edge).toBe("hit-memory");
    const reviewer = await signedUpUser();
    await reviewer.client.reviews.create.mutate({ productId: product.id, rating: 4, body: "Edge-cached review" });
    const next = await get(path);
    expect(next.edge).toBe("miss");
    expect(next.body).toContain("Edge-cached review");
  });

  it("caches a batch made only of public queries, and never one with a private call", async () => {
    const product = await createProduct();
    const publicBatch = batchOf([
      ["catalog.get", { slug: product.slug }],
      ["reviews.list", { productId: product.id }],
    ]);
    const first = await get(publicBatch);
    expect(first.edge).toBe("miss");
    const second = await get(publicBatch);
    expect(second.edge).toBe("hit-memory");
    expect(second.body).toBe(first.body);

    const shopper = await signedUpUser();
    const auth = { authorization: `Bearer ${shopper.session.tokens!.accessToken}` };
    const mixed = batchOf([
      ["catalog.get", { slug: product.slug }],
      ["cart.get", undefined],
    ]);
    for (let i = 0; i < 2; i++) {
      const r = await get(mixed, auth);
      expect(r.response.status).toBe(200);
      expect(r.edge).toBeNull();
      expect(r.response.headers.get("cache-control")).not.toBe(PUBLIC_CACHE_CONTROL);
    }
  });

  it("never stores an error or an unmarked procedure's answer", async () => {
    const missing = query("catalog.get", { slug: `no-such-${crypto.randomUUID()}` });
    for (let i = 0; i < 2; i++) {
      const r = await get(missing);
      expect(r.response.status).toBe(404);
      expect(r.edge).toBe("bypass");
      expect(r.response.headers.get("cache-control")).not.toBe(PUBLIC_CACHE_CONTROL);
    }
    const invalid = query("catalog.get", { slug: "" });
    expect((await get(invalid)).response.status).toBe(400);
    expect((await get(invalid)).edge).toBe("bypass");

    const shopper = await signedUpUser();
    const auth = { authorization: `Bearer ${shopper.session.tokens!.accessToken}` };
    for (let i = 0; i < 2; i++) {
      const me = await get(query("auth.me"), auth);
      expect(me.response.status).toBe(200);
      expect(me.edge).toBeNull();
      expect(me.response.headers.get("cache-control")).not.toBe(PUBLIC_CACHE_CONTROL);
    }
  });

  it("never stores a response that sets a cookie, fails or is not marked public", async () => {
    const body = '{"result":{"data":{"json":1}}}';
    const ok = { "content-type": "application/json", "cache-control": PUBLIC_CACHE_CONTROL };
    expect(await storable(new Response(body, { headers: ok }))).not.toBeNull();
    expect(await storable(new Response(body, { headers: { ...ok, "set-cookie": "a=b" } }))).toBeNull();
    expect(await storable(new Response(body, { status: 500, headers: ok }))).toBeNull();
    expect(await storable(new Response(body, { headers: { "content-type": "application/json" } }))).toBeNull();
  });

  it("concurrent misses for one key in one isolate share one load", async () => {
    const product = await createProduct();
    const path = query("catalog.get", { slug: product.slug });
    // Through the app itself in this isolate: SELF.fetch hands requests over one at a time.
    const app = buildApp();
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const ctx = createExecutionContext();
        const response = await app.fetch(new Request(url(path), { headers: { "cf-connecting-ip": uniqueIp() } }), env, ctx);
        const body = await response.text();
        await waitOnExecutionContext(ctx);
        const timing = response.headers.get("server-timing") ?? "";
        return { body, edge: /edge;desc="([a-z-]+)"/.exec(timing)?.[1], trips: Number(/(\d+) D1 round trips/.exec(timing)?.[1]) };
      }),
    );
    const edges = answers.map((a) => a.edge);
    expect(edges.filter((e) => e === "miss")).toHaveLength(1);
    expect(edges.filter((e) => e === "shared")).toHaveLength(5);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    // One load: D1 was asked once, by the one request that missed.
    expect(answers.reduce((n, a) => n + a.trips, 0)).toBe(1);
  });
});

describe("only the cached public builder may mark a procedure public", () => {
  it("accepts the app's router", async () => {
    const { policies } = await import("../router/cache-policy");
    expect(policies.get("catalog.get")?.publicCache).toBe(true);
    expect(policies.get("reviews.list")?.publicCache).toBe(true);
    expect(policies.get("cart.get")?.publicCache).toBe(false);
    expect(policies.get("checkout.placeOrder")?.primary).toBe(true);
  });

  it.each([
    ["an authed procedure", router({ leak: authedProcedure.meta({ cache: "public" }).query(({ ctx }) => ctx.user.email) })],
    ["a plain public procedure", router({ leak: publicProcedure.meta({ cache: "public" }).query(({ ctx }) => ctx.user?.email ?? null) })],
    ["a mutation", router({ leak: cachedPublicProcedure.mutation(() => 1) })],
  ])("refuses %s claiming the public cache, at start-up", (_, bad) => {
    expect(() => readPolicies(bad)).toThrow(/cache: "public"/);
  });

  it("gives a cached public resolver no caller to depend on", async () => {
    const checked = router({
      anon: cachedPublicProcedure.query(({ ctx }) => ({ user: ctx.user, sessionFamily: ctx.sessionFamily })),
      // The control: the same context, through a builder that keeps the caller.
      plain: publicProcedure.query(({ ctx }) => ({ user: ctx.user, sessionFamily: ctx.sessionFamily })),
    });
    expect(readPolicies(checked).get("anon")?.publicCache).toBe(true);
    // Run the resolvers with a signed-in caller's context, as a request with their token gets it.
    const { session, user } = await signedUpUser();
    const caller = checked.createCaller(await contextFor(session.tokens!.accessToken));
    expect((await caller.plain()).user?.id).toBe(user.id);
    expect(await caller.anon()).toEqual({ user: null, sessionFamily: null });
  });
});
