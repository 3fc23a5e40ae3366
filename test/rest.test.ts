// The REST API (/api/v1) as an outsider uses it: an openapi-fetch client generated from the
// published document walks the README's tour, and every response is checked against the document.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import document from "../openapi/openapi.json";
import { ERROR_REASONS } from "../domain/refusals";
import { appRouter } from "../router";
import { buildOpenApiDocument, TRPC_ONLY } from "../router/openapi";
import { STRONG_PASSWORD, testClient, uniqueEmail, uniqueIp } from "./helpers/client";
import { errorProblems, REST_URL, responseProblems, restClient } from "./helpers/rest";
import { ADDRESS, createCategory, createProduct, newKey, stockOf } from "./helpers/shop";

/** A signed-up customer's REST client (tokens from POST /auth/signup). */
async function restCustomer() {
  let token: string | undefined;
  const rest = restClient({ token: () => token });
  const { data, response } = await rest.client.POST("/auth/signup", {
    body: { email: uniqueEmail("rest"), password: STRONG_PASSWORD, name: "Rest Customer" },
  });
  expect(response.status).toBe(200);
  token = data?.accessToken;
  return { ...rest, signup: data, setToken: (t: string | undefined) => (token = t) };
}

const hasRestMeta = (procedure: unknown) =>
  typeof procedure === "function" &&
  "_def" in procedure &&
  typeof procedure._def === "object" &&
  procedure._def !== null &&
  "meta" in procedure._def &&
  typeof procedure._def.meta === "object" &&
  procedure._def.meta !== null &&
  "openapi" in procedure._def.meta &&
  procedure._def.meta.openapi !== undefined;

const allValid = (seen: { problems: string[] }[]) => seen.flatMap((s) => s.problems);

describe("REST API: the document", () => {
  it("is what router/openapi.ts generates from the procedures in workerd, as checked in (openapi/openapi.json)", () => {
    // The Worker does not generate it per request: the Vite build ships this file as the static
    // asset /api/v1/openapi.json (run_worker_first excludes it), keeping the generator out of the bundle.
    expect(JSON.parse(JSON.stringify(buildOpenApiDocument()))).toEqual(document);
  });

  it("covers every procedure except the deliberately tRPC-only ones", () => {
    const rest: string[] = [];
    const trpcOnly: string[] = [];
    const procedures: Record<string, unknown> = appRouter._def.procedures;
    for (const [path, procedure] of Object.entries(procedures)) (hasRestMeta(procedure) ? rest : trpcOnly).push(path);
    // A new procedure needs `meta.openapi` or a line in TRPC_ONLY (router/openapi.ts), not neither.
    expect(trpcOnly.sort()).toEqual([...TRPC_ONLY].sort());
    expect(rest.length).toBe(Object.values(document.paths).flatMap((item) => Object.keys(item)).length);
  });
});

type Operation = { responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }> };
const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

describe("REST API: the document states what the server enforces", () => {
  it("lists every status each operation can answer, each with the Error schema, and no catch-all", () => {
    for (const { name, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      // A catch-all `default` would let a validating proxy accept any status.
      expect(statuses, name).not.toContain("default");
      expect(statuses, name).toEqual(expect.arrayContaining(["200", "500", "503"]));
      for (const status of statuses.filter((s) => s !== "200")) {
        expect(operation.responses[status]?.content?.["application/json"]?.schema, `${name} ${status}`).toEqual({
          $ref: "#/components/schemas/Error",
        });
      }
      if (!name.startsWith("GET")) expect(statuses, name).toEqual(expect.arrayContaining(["413", "415"]));
    }
    const statusesOf = (name: string) => Object.keys(operations().find((o) => o.name === name)?.operation.responses ?? {});
    expect(statusesOf("GET /cart")).toContain("401");
    expect(statusesOf("POST /auth/change-password")).toEqual(expect.arrayContaining(["400", "401", "403", "429"]));
    expect(statusesOf("POST /auth/signup")).toEqual(expect.arrayContaining(["400", "409", "429"]));
    expect(statusesOf("POST /cart/items")).toEqual(expect.arrayContaining(["400", "401", "404", "412", "429"]));
    expect(statusesOf("POST /checkout")).toEqual(expect.arrayContaining(["412", "422", "503"]));
    expect(statusesOf("GET /catalog/categories")).not.toContain("401");
    const cartItems = operations().find((o) => o.name === "POST /cart/items")?.operation.responses;
    expect(cartItems?.["400"]?.description).toContain("line_quantity_limit");
    expect(cartItems?.["412"]?.description).toContain("cart_full");
  });

  it("states the email format and the password rules", () => {
    const signup = document.paths["/auth/signup"].post.requestBody.content["application/json"].schema.properties;
    expect(signup.email).toMatchObject({ type: "string", format: "email" });
    expect(signup.password).toMatchObject({ type: "string", minLength: 10, maxLength: 128 });
    expect(signup.password.description).toMatch(/two kinds/);
    const change = document.paths["/auth/change-password"].post.requestBody.content["application/json"].schema.properties;
    expect(change.newPassword).toMatchObject({ minLength: 10, maxLength: 128 });
  });

  it("gives the error reasons and codes as closed sets, the same the server's errors use", () => {
    const data = document.components.schemas.Error.properties.data.properties;
    expect(data.reason.enum).toEqual([...ERROR_REASONS]);
    expect(data.code.enum).toContain("METHOD_NOT_SUPPORTED");
  });
});

describe("REST API: the tour (browse, sign up, cart, checkout, order, cancel)", () => {
  it("walks it with the generated client, every response as documented", async () => {
    const category = await createCategory("Rest Things");
    const product = await createProduct({ categoryId: category.id, priceCents: 2500, stock: 8, name: "Rest Kettle" });

    // Browse, signed out.
    const browser = restClient();
    const categories = await browser.client.GET("/catalog/categories");
    expect(categories.data?.map((c) => c.slug)).toContain(category.slug);
    const list = await browser.client.GET("/catalog/products", { params: { query: { category: category.slug, limit: 10 } } });
    expect(list.data?.items.map((p) => p.id)).toEqual([product.id]);
    const found = await browser.client.GET("/catalog/products/{slug}", { params: { path: { slug: product.slug } } });
    expect(found.data).toMatchObject({ id: product.id, priceCents: 2500, currency: "USD", stockStatus: "in_stock" });
    // Dates are ISO strings in REST (a Date over tRPC).
    expect(found.data?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const reviews = await browser.client.GET("/catalog/products/{productId}/reviews", { params: { path: { productId: product.id } } });
    expect(reviews.data).toEqual({ items: [], nextCursor: null });
    const recs = await browser.client.GET("/catalog/products/{productId}/recommendations", { params: { path: { productId: product.id } } });
    expect(recs.response.status).toBe(200);
    expect(allValid(browser.seen)).toEqual([]);

    // Sign up, cart, checkout.
    const customer = await restCustomer();
    const { client } = customer;
    expect((await client.GET("/auth/me")).data).toMatchObject({ id: customer.signup?.user.id, role: "customer" });
    const added = await client.POST("/cart/items", { body: { productId: product.id, quantity: 2 } });
    expect(added.data).toMatchObject({ subtotalCents: 5000, lines: [{ productId: product.id, quantity: 2 }] });
    const updated = await client.PATCH("/cart/items/{productId}", { params: { path: { productId: product.id } }, body: { quantity: 3 } });
    expect(updated.data?.lines[0]?.quantity).toBe(3);
    expect((await client.GET("/cart")).data?.totalCents).toBe(updated.data?.totalCents);
    const placed = await client.POST("/checkout", {
      body: { idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" },
    });
    expect(placed.response.status).toBe(200);
    const order = placed.data;
    expect(order).toMatchObject({ status: "paid", subtotalCents: 7500 });
    if (!order) throw new Error("no order");
    expect(await stockOf(product.id)).toBe(5);

    // The order, then cancel it.
    expect((await client.GET("/orders")).data?.items.map((o) => o.id)).toEqual([order.id]);
    expect((await client.GET("/orders/{id}", { params: { path: { id: order.id } } })).data?.status).toBe("paid");
    const cancelled = await client.POST("/orders/{id}/cancel", { params: { path: { id: order.id } } });
    expect(cancelled.data?.status).toBe("cancelled");
    expect(await stockOf(product.id)).toBe(8);

    // A review (a cancelled order is not a purchase), and the session's end.
    const review = await client.POST("/catalog/products/{productId}/reviews", {
      params: { path: { productId: product.id } },
      body: { rating: 5, body: "Boils water." },
    });
    expect(review.data).toMatchObject({ rating: 5, verifiedPurchase: false });
    const refreshed = await client.POST("/auth/refresh", { body: { refreshToken: customer.signup?.refreshToken } });
    expect(refreshed.data?.accessToken).toEqual(expect.any(String));
    customer.setToken(refreshed.data?.accessToken);
    expect((await client.POST("/auth/logout")).data).toEqual({ ok: true });
    expect((await client.GET("/auth/me")).response.status).toBe(401);

    expect(allValid(customer.seen)).toEqual([]);
    expect(customer.seen.every((s) => s.requestId !== null)).toBe(true);
  });

  it("shares users, sessions and orders with the tRPC API", async () => {
    const product = await createProduct({ priceCents: 1200 });
    const customer = await restCustomer();
    await customer.client.POST("/cart/items", { body: { productId: product.id, quantity: 1 } });
    const placed = await customer.client.POST("/checkout", {
      body: { idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" },
    });
    const { client, session } = testClient();
    const signup = customer.signup;
    if (!signup || !placed.data) throw new Error("setup failed");
    session.tokens = {
      ...signup,
      user: { ...signup.user, createdAt: new Date(signup.user.createdAt) },
      accessTokenExpiresAt: new Date(signup.accessTokenExpiresAt),
    };
    const order = await client.orders.get.query({ id: placed.data.id });
    expect(order.id).toBe(placed.data.id);
    // superjson gives tRPC a Date; REST got the same instant as a string.
    expect(order.createdAt.toISOString()).toBe(placed.data.createdAt);
  });
});

describe("REST API: errors, auth and limits as in tRPC", () => {
  it("answers each refusal with the contract's status, code and reason, in the documented Error shape", async () => {
    const product = await createProduct({ stock: 1 });
    const customer = await restCustomer();
    const { client } = customer;

    const signedOut = await restClient().client.GET("/cart");
    expect(signedOut.response.status).toBe(401);
    expect(signedOut.error).toMatchObject({ code: "UNAUTHORIZED", data: { code: "UNAUTHORIZED", httpStatus: 401 } });

    const invalid = await client.POST("/cart/items", { body: { productId: product.id, quantity: 0 } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.data?.issues?.[0]).toMatchObject({ path: "quantity" });

    const missing = await client.GET("/orders/{id}", { params: { path: { id: "no-such-order" } } });
    expect(missing.response.status).toBe(404);

    await client.POST("/cart/items", { body: { productId: product.id, quantity: 1 } });
    const declined = await client.POST("/checkout", {
      body: { idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_declined" },
    });
    expect(declined.response.status).toBe(412);
    expect(declined.error?.data?.reason).toBe("payment_declined");

    const placed = await client.POST("/checkout", {
      body: { idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" },
    });
    if (!placed.data) throw new Error("checkout failed");
    await client.POST("/orders/{id}/cancel", { params: { path: { id: placed.data.id } } });
    const again = await client.POST("/orders/{id}/cancel", { params: { path: { id: placed.data.id } } });
    expect(again.response.status).toBe(412);
    expect(again.error).toMatchObject({ code: "PRECONDITION_FAILED", data: { reason: "invalid_transition" } });

    const taken = await restClient().client.POST("/auth/signup", {
      body: { email: customer.signup?.user.email ?? "", password: STRONG_PASSWORD, name: "Again" },
    });
    expect(taken.response.status).toBe(409);

    for (const seen of [...customer.seen]) expect(seen.problems, `${seen.method} ${seen.schemaPath} ${seen.status}`).toEqual([]);
  });

  it("keeps the request id a caller sends, in the header and in error bodies", async () => {
    const response = await SELF.fetch(`${REST_URL}/auth/me`, { headers: { "x-request-id": "rest-request-0001" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe("rest-request-0001");
    expect(await response.json()).toMatchObject({ data: { requestId: "rest-request-0001" } });
  });

  it("refuses a body that is not JSON, an unknown route and an oversized body in the Error shape", async () => {
    const ip = uniqueIp();
    const form = await SELF.fetch(`${REST_URL}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
      body: "email=a%40b.c&password=x",
    });
    expect(form.status).toBe(415);
    const unknown = await SELF.fetch(`${REST_URL}/no/such/route`);
    expect(unknown.status).toBe(404);
    const big = await SELF.fetch(`${REST_URL}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ email: "a@b.c", password: "x".repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    for (const [response, status] of [
      [form, 415],
      [unknown, 404],
      [big, 413],
    ] as const) {
      const body: unknown = await response.json();
      // The unknown route belongs to no operation: its body is still the Error schema.
      expect(status === 404 ? errorProblems(body) : responseProblems("/auth/login", "POST", status, body)).toEqual([]);
      expect(response.headers.get("x-request-id")).toEqual(expect.any(String));
      expect(body).toMatchObject({ data: { httpStatus: status, requestId: response.headers.get("x-request-id") } });
    }
  });

  it("rate-limits as tRPC does: 429 with Retry-After and the RateLimit headers", async () => {
    const customer = await restCustomer();
    // orders.cancel allows 20 a minute per user; the limit is taken before the order is looked up.
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 21; i++) {
      const { response } = await customer.client.POST("/orders/{id}/cancel", { params: { path: { id: `missing-${i}` } } });
      statuses.push(response.status);
      last = response;
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last?.headers.get("ratelimit-remaining")).toBe("0");
    expect(allValid(customer.seen)).toEqual([]);
  });
});
