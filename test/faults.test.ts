// Fault injection: the real app with one binding replaced by one that fails, to show the
// documented behaviour when KV, D1 or the rate limiter is down.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../worker/app";
import { signedUpUser, uniqueEmail } from "./helpers/client";
import { createProduct } from "./helpers/shop";

const down = () => Promise.reject(new Error("binding is down: internal detail"));

const failingSession = {
  prepare: () => {
    const statement = { bind: () => statement, first: down, all: down, run: down, raw: down };
    return statement;
  },
  batch: down,
  getBookmark: () => null,
};
// Requests run their queries in a D1 session (read replication): the binding hands out one that fails.
const failingD1 = { ...failingSession, exec: down, withSession: () => failingSession } as unknown as D1Database;

const failingKv = { get: down, put: down, delete: down, list: down } as unknown as KVNamespace;
const failingLimiter = { getByName: () => ({ check: down }) } as unknown as typeof env.RATE_LIMITER;

async function call(overrides: Partial<typeof env>, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const response = await buildApp().fetch(new Request(`http://storefront.test${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, text: await response.text() };
}

const query = (procedure: string, input: unknown) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const mutation = (input: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "cf-connecting-ip": `172.16.0.${Math.floor(Math.random() * 250)}` },
  body: JSON.stringify({ json: input }),
});

describe("when KV is down", () => {
  it("serves catalog reads from D1", async () => {
    const product = await createProduct({ priceCents: 4321 });
    const result = await call({ CACHE: failingKv }, query("catalog.get", { slug: product.slug }));
    expect(result.status).toBe(200);
    expect(result.text).toContain("4321");
  });
});

describe("when D1 is down", () => {
  it("answers 503 with a generic message, for reads and writes alike", async () => {
    const read = await call({ DB: failingD1, CACHE: failingKv }, query("catalog.list", {}));
    expect(read.status).toBe(503);
    expect(read.text).toContain("SERVICE_UNAVAILABLE");
    expect(read.text).not.toContain("internal detail");
    const write = await call(
      { DB: failingD1 },
      "/trpc/auth.signup",
      mutation({ email: uniqueEmail(), password: "Correct-Horse-42", name: "X" }),
    );
    expect(write.status).toBe(503);
    expect((await call({ DB: failingD1 }, "/readyz")).status).toBe(503);
    const { session } = await signedUpUser();
    const signedIn = await call({ DB: failingD1 }, query("cart.get", undefined).replace("?input=%7B%7D", ""), {
      headers: { authorization: `Bearer ${session.tokens!.accessToken}` },
    });
    expect(signedIn.status).toBe(503);
  });
});

describe("when the rate limiter is down", () => {
  it("fails closed for login (503, no password checked) while catalog reads, which it does not guard, go on", async () => {
    const login = await call(
      { RATE_LIMITER: failingLimiter },
      "/trpc/auth.login",
      mutation({ email: uniqueEmail(), password: "whatever-123" }),
    );
    expect(login.status).toBe(503);
    const product = await createProduct();
    const read = await call({ RATE_LIMITER: failingLimiter }, query("catalog.get", { slug: product.slug }));
    expect(read.status).toBe(200);
  });
});
