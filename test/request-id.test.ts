// Every response carries the request's `x-request-id`: walked over every route family the Worker
// answers, successes and refusals, streams, cache hits and the failures of a broken binding.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../worker/app";
import { forgetStoredResponses } from "../worker/middleware/response-tier";
import { bytesOf, GRADIENT_JPEG } from "./fixtures/images";
import { signedUpUser, uniqueIp } from "./helpers/client";
import { createProduct, signedUpAdmin } from "./helpers/shop";
import { sendWebhook, stripeEvent, stripeSignature } from "./helpers/webhooks";

const BASE = "http://storefront.test";
const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
const batchInput = (...values: unknown[]) =>
  encodeURIComponent(JSON.stringify(Object.fromEntries(values.map((value, i) => [String(i), { json: value }]))));
const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Case {
  family: string;
  status: number;
  /** Answers the request, given the id it must carry back. */
  send: (id: string) => Promise<Response>;
  /** Which tier answered a public query (Server-Timing's `edge` entry), where that is the point. */
  edge?: string;
}

const fetchWith =
  (path: string, init: RequestInit = {}) =>
  (id: string) =>
    SELF.fetch(`${BASE}${path}`, {
      ...init,
      headers: { "cf-connecting-ip": uniqueIp(), ...(init.headers as Record<string, string> | undefined), "x-request-id": id },
    });

/** The real app with one binding replaced by one that fails. */
const withBroken = (overrides: Partial<Env>, path: string) => async (id: string) => {
  const ctx = createExecutionContext();
  const response = await buildApp().fetch(
    new Request(`${BASE}${path}`, { headers: { "x-request-id": id } }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
};

const down = () => Promise.reject(new Error("binding is down"));
const failingStatement = { bind: () => failingStatement, first: down, all: down, run: down, raw: down };
const failingSession = { prepare: () => failingStatement, batch: down, getBookmark: () => null };
const failingD1 = { ...failingSession, exec: down, withSession: () => failingSession } as unknown as D1Database;
const failingBucket = { get: down, put: down, delete: down, head: down, list: down } as unknown as R2Bucket;

describe("x-request-id", () => {
  it("is on every response of every route family, the caller's own id echoed", { timeout: 60_000 }, async () => {
    const admin = await signedUpAdmin();
    const adminToken = admin.session.tokens!.accessToken;
    const customer = await signedUpUser();
    const customerToken = customer.session.tokens!.accessToken;
    const product = await createProduct();
    const uploaded = await fetchWith(`/uploads/products/${product.id}/images`, {
      method: "POST",
      headers: bearer(adminToken),
      body: bytesOf(GRADIENT_JPEG),
    })("setup-upload-01");
    expect(uploaded.status).toBe(201);
    const { image } = await uploaded.json<{ image: { url: string } }>();
    const etag = (await SELF.fetch(`${BASE}${image.url}`)).headers.get("etag") ?? "";
    const ignoredEvent = stripeEvent("customer.created", { id: "cus_1" });
    const signedIgnored = await stripeSignature(ignoredEvent);
    const publicQuery = `/trpc/catalog.get?input=${input({ slug: product.slug })}`;

    const cases: Case[] = [
      // Plain routes.
      { family: "health", status: 200, send: fetchWith("/healthz") },
      { family: "readiness", status: 200, send: fetchWith("/readyz") },
      { family: "readiness, D1 down", status: 503, send: withBroken({ DB: failingD1 }, "/readyz") },
      { family: "unknown route", status: 404, send: fetchWith("/nope") },
      {
        family: "CORS preflight",
        status: 204,
        send: fetchWith("/trpc/auth.login", {
          method: "OPTIONS",
          headers: { origin: "https://elsewhere.test", "access-control-request-method": "POST" },
        }),
      },
      // tRPC: queries, mutations, batches, streams, subscriptions, and each way a call fails.
      { family: "tRPC query", status: 200, send: fetchWith("/trpc/catalog.categories") },
      { family: "tRPC query, signed in", status: 200, send: fetchWith("/trpc/auth.me", { headers: bearer(customerToken) }) },
      {
        family: "tRPC mutation",
        status: 200,
        send: fetchWith("/trpc/cart.addItem", {
          ...json({ json: { productId: product.id, quantity: 1 } }),
          headers: { "content-type": "application/json", ...bearer(customerToken) },
        }),
      },
      {
        family: "tRPC batch",
        status: 200,
        send: fetchWith(`/trpc/catalog.categories,catalog.list?batch=1&input=${batchInput(undefined, {})}`),
      },
      {
        family: "tRPC JSONL stream",
        status: 200,
        send: fetchWith(`/trpc/catalog.categories,catalog.list?batch=1&input=${batchInput(undefined, {})}`, {
          headers: { "trpc-accept": "application/jsonl" },
        }),
      },
      {
        family: "tRPC subscription (SSE)",
        status: 200,
        send: fetchWith(`/trpc/admin.orders.onUpdate?input=${input({})}`, {
          headers: { accept: "text/event-stream", ...bearer(adminToken) },
        }),
      },
      {
        family: "tRPC subscription refused (an error event in a 200 stream)",
        status: 200,
        send: fetchWith(`/trpc/admin.orders.onUpdate?input=${input({})}`, { headers: { accept: "text/event-stream" } }),
      },
      { family: "tRPC invalid input", status: 400, send: fetchWith(`/trpc/catalog.get?input=${input({ slug: 42 })}`) },
      {
        family: "tRPC malformed JSON",
        status: 400,
        send: fetchWith("/trpc/auth.login", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }),
      },
      { family: "tRPC unauthorised", status: 401, send: fetchWith("/trpc/auth.me") },
      {
        family: "tRPC forbidden",
        status: 403,
        send: fetchWith(`/trpc/admin.orders.list?input=${input({})}`, { headers: bearer(customerToken) }),
      },
      { family: "tRPC unknown procedure", status: 404, send: fetchWith("/trpc/nothing.here") },
      { family: "tRPC wrong method", status: 405, send: fetchWith("/trpc/auth.logout") },
      {
        family: "tRPC refused by a rule",
        status: 412,
        send: fetchWith("/trpc/cart.applyDiscount", {
          ...json({ json: { code: "NO-SUCH-CODE" } }),
          headers: { "content-type": "application/json", ...bearer(customerToken) },
        }),
      },
      {
        family: "tRPC body too large",
        status: 413,
        send: fetchWith("/trpc/auth.login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { email: "x".repeat(2_000_000) } }),
        }),
      },
      {
        family: "tRPC not JSON",
        status: 415,
        send: fetchWith("/trpc/auth.login", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" }),
      },
      { family: "tRPC, D1 down", status: 503, send: withBroken({ DB: failingD1 }, `/trpc/catalog.list?input=${input({ q: "id-walk" })}`) },
      // The response tier and the edge cache in front of public queries.
      { family: "public query, miss", status: 200, send: fetchWith(publicQuery), edge: "miss" },
      { family: "public query, memory hit", status: 200, send: fetchWith(publicQuery), edge: "hit-memory" },
      {
        family: "public query, edge-cache hit",
        status: 200,
        send: (id) => {
          forgetStoredResponses();
          return fetchWith(publicQuery)(id);
        },
        edge: "hit-cache",
      },
      // REST.
      { family: "REST", status: 200, send: fetchWith("/api/v1/catalog/categories") },
      { family: "REST unauthorised", status: 401, send: fetchWith("/api/v1/auth/me") },
      { family: "REST unknown path", status: 404, send: fetchWith("/api/v1/nope") },
      // Webhooks and the test provider's 3-D Secure step.
      {
        family: "webhook",
        status: 200,
        send: (id) => sendWebhook(ignoredEvent, { "stripe-signature": signedIgnored, "x-request-id": id }),
      },
      { family: "webhook unsigned", status: 401, send: (id) => sendWebhook(ignoredEvent, { "x-request-id": id }) },
      { family: "test payments", status: 400, send: fetchWith("/dev/test-payments/confirm", json({})) },
      // Exports, uploads, images.
      {
        family: "export",
        status: 200,
        send: fetchWith("/exports/orders.csv?from=2026-01-01&to=2026-01-02", { headers: bearer(adminToken) }),
      },
      { family: "export unauthorised", status: 401, send: fetchWith("/exports/orders.csv?from=2026-01-01&to=2026-01-02") },
      {
        family: "upload",
        status: 201,
        send: fetchWith(`/uploads/products/${product.id}/images`, {
          method: "POST",
          headers: bearer(adminToken),
          body: bytesOf(GRADIENT_JPEG),
        }),
      },
      {
        family: "upload refused",
        status: 422,
        send: fetchWith(`/uploads/products/${product.id}/images`, { method: "POST", headers: bearer(adminToken), body: "not an image" }),
      },
      {
        family: "upload too large",
        status: 413,
        send: fetchWith(`/uploads/products/${product.id}/images`, {
          method: "POST",
          headers: bearer(adminToken),
          body: new Uint8Array(5 * 1024 * 1024 + 1),
        }),
      },
      { family: "image", status: 200, send: fetchWith(image.url) },
      { family: "image not modified", status: 304, send: fetchWith(image.url, { headers: { "if-none-match": etag } }) },
      { family: "image missing", status: 404, send: fetchWith("/images/products/none/none-0123456789abcdef.jpg") },
      { family: "image, R2 down (500)", status: 500, send: withBroken({ IMAGES: failingBucket }, image.url) },
    ];

    const seen = [];
    for (const [i, c] of cases.entries()) {
      const id = `walk-${String(i).padStart(3, "0")}-request`;
      const response = await c.send(id);
      const edge = /edge;desc="([a-z-]+)"/.exec(response.headers.get("server-timing") ?? "")?.[1];
      seen.push({ family: c.family, status: response.status, id: response.headers.get("x-request-id"), ...(c.edge ? { edge } : {}) });
      // Streams (SSE, JSONL) are not read to their end: the headers are the point.
      await response.body?.cancel();
    }
    expect(seen).toEqual(
      cases.map((c, i) => ({
        family: c.family,
        status: c.status,
        id: `walk-${String(i).padStart(3, "0")}-request`,
        ...(c.edge ? { edge: c.edge } : {}),
      })),
    );
  });

  it("is generated when the caller sends none, and differs between requests", async () => {
    const ids = await Promise.all(
      ["/trpc/catalog.categories", "/trpc/catalog.categories"].map(async (path) => {
        const response = await SELF.fetch(`${BASE}${path}`, { headers: { "cf-connecting-ip": uniqueIp() } });
        await response.body?.cancel();
        return response.headers.get("x-request-id");
      }),
    );
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
