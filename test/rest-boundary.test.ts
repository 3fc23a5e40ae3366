// The REST boundary (/api/v1) reads input exactly as tRPC does and answers every error in the
// API's one shape: no coercion of JSON bodies, integers in query strings only from plain decimals,
// a REST call never loosens /trpc, JSON 404 / 405 with Allow / HEAD as GET.
import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cartLines, reviews } from "../db/schema";
import document from "../openapi/openapi.json";
import { ErrorBody } from "../router/error-shape";
import { testDb } from "./helpers/callers";
import { STRONG_PASSWORD, uniqueEmail, uniqueIp } from "./helpers/client";
import { errorProblems, REST_URL, responseProblems } from "./helpers/rest";
import { createCategory, createProduct } from "./helpers/shop";
import { forged } from "./helpers/tokens";

const TRPC_URL = "http://storefront.test/trpc";

/** A customer signed up over REST, and raw calls with their token on both transports. */
async function customer() {
  const ip = uniqueIp();
  const signup = await SELF.fetch(`${REST_URL}/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ email: uniqueEmail("boundary"), password: STRONG_PASSWORD, name: "Boundary" }),
  });
  expect(signup.status).toBe(200);
  const { accessToken, user } = await signup.json<{ accessToken: string; user: { id: string } }>();
  const headers = { "content-type": "application/json", "cf-connecting-ip": ip, authorization: `Bearer ${accessToken}` };
  return {
    userId: user.id,
    rest: (method: string, path: string, body?: string) => SELF.fetch(`${REST_URL}${path}`, { method, headers, body }),
    trpcMutation: (path: string, json: unknown) =>
      SELF.fetch(`${TRPC_URL}/${path}`, { method: "POST", headers, body: JSON.stringify({ json }) }),
    trpcQuery: (path: string, json: unknown) =>
      SELF.fetch(`${TRPC_URL}/${path}?input=${encodeURIComponent(JSON.stringify({ json }))}`, { headers }),
  };
}

const linesOf = (userId: string) =>
  testDb().select({ productId: cartLines.productId, quantity: cartLines.quantity }).from(cartLines).where(eq(cartLines.userId, userId));

// JSON values that are not an integer: what a body's integer field must refuse.
const notAnInteger = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 120 }).map(String),
  fc.constantFrom("0x10", "1e2", " 5", "5.0", "+3", "", "Infinity"),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

describe("REST input is validated exactly as tRPC validates it", () => {
  it("a REST call does not loosen /trpc: after one, a string quantity or limit is still a 400 there", async () => {
    const product = await createProduct();
    const { rest, trpcMutation, trpcQuery, userId } = await customer();
    // One REST call to each procedure first (trpc-to-openapi switched coercion on here, for good).
    expect((await rest("POST", "/cart/items", JSON.stringify({ productId: product.id, quantity: 1 }))).status).toBe(200);
    expect((await rest("GET", "/catalog/products?limit=5")).status).toBe(200);

    const added = await trpcMutation("cart.addItem", { productId: product.id, quantity: "2" });
    expect(added.status).toBe(400);
    expect(await added.json()).toMatchObject({ error: { json: { data: { code: "BAD_REQUEST", issues: [{ path: "quantity" }] } } } });
    const listed = await trpcQuery("catalog.list", { limit: "5" });
    expect(listed.status).toBe(400);
    expect(await linesOf(userId)).toEqual([{ productId: product.id, quantity: 1 }]);
  });

  it("refuses a body's integer field given as anything but an integer (POST /cart/items), changing nothing", async () => {
    const product = await createProduct();
    const { rest, userId } = await customer();
    await fc.assert(
      fc.asyncProperty(notAnInteger, async (quantity) => {
        const response = await rest("POST", "/cart/items", JSON.stringify({ productId: product.id, quantity }));
        const body: unknown = await response.json();
        expect(response.status, JSON.stringify(quantity)).toBe(400);
        expect(body).toMatchObject({ code: "BAD_REQUEST", data: { issues: [{ path: "quantity" }] } });
        expect(responseProblems("/cart/items", "POST", 400, body)).toEqual([]);
        expect(await linesOf(userId)).toEqual([]);
      }),
      { numRuns: 40, examples: [["0x10"], [true], [[3]], ["2"]] },
    );
  }, 60_000);

  it('never deletes a line for a PATCH quantity that is not an integer (null, false, "", [] …)', async () => {
    const product = await createProduct();
    const { rest, userId } = await customer();
    await rest("POST", "/cart/items", JSON.stringify({ productId: product.id, quantity: 3 }));
    await fc.assert(
      fc.asyncProperty(notAnInteger, async (quantity) => {
        const response = await rest("PATCH", `/cart/items/${product.id}`, JSON.stringify({ quantity }));
        expect(response.status, JSON.stringify(quantity)).toBe(400);
        expect(await linesOf(userId)).toEqual([{ productId: product.id, quantity: 3 }]);
      }),
      { numRuns: 30, examples: [[null], [false], [""], [[]]] },
    );
  }, 60_000);

  it("refuses a rating that is not an integer (true is not 1 star), writing no review", async () => {
    const product = await createProduct();
    const { rest, userId } = await customer();
    // reviews.create allows 10 calls an hour per user: few runs, the telling ones first.
    await fc.assert(
      fc.asyncProperty(notAnInteger, async (rating) => {
        const response = await rest("POST", `/catalog/products/${product.id}/reviews`, JSON.stringify({ rating, body: "Fine." }));
        expect(response.status, JSON.stringify(rating)).toBe(400);
        const rows = await testDb()
          .select({ id: reviews.id })
          .from(reviews)
          .where(and(eq(reviews.userId, userId), eq(reviews.productId, product.id)));
        expect(rows).toEqual([]);
      }),
      { numRuns: 5, examples: [[true], ["5"], [[3]]] },
    );
  }, 60_000);

  it("reads an integer query parameter from a plain decimal only, and exactly", async () => {
    const category = await createCategory("Boundary");
    for (let i = 0; i < 3; i++) await createProduct({ categoryId: category.id });
    const strict = /^(0|-?[1-9][0-9]*)$/;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: -3, max: 130 }).map(String),
          fc.constantFrom(" 5", "5 ", "0x10", "1e2", "5.0", "+5", "05", "0b1", "٣", "", "1_0"),
          fc.string({ maxLength: 4 }),
        ),
        async (limit) => {
          const response = await SELF.fetch(`${REST_URL}/catalog/products?category=${category.slug}&limit=${encodeURIComponent(limit)}`);
          const n = Number(limit);
          const accepted = strict.test(limit) && n >= 1 && n <= 100;
          expect(response.status, JSON.stringify(limit)).toBe(accepted ? 200 : 400);
          const body = await response.json<{ items?: unknown[] }>();
          if (accepted) expect(body.items?.length).toBe(Math.min(n, 3));
        },
      ),
      { numRuns: 60, examples: [["2"], ["%205"], ["0x10"], ["1e2"]] },
    );
  }, 60_000);
});

describe("the REST boundary's answers", () => {
  it("answers an unknown path under /api with a JSON 404 in the Error shape", async () => {
    for (const path of ["/api/v1", "/api/v1/", "/api/v2/x", "/api/v1/no/such/route"]) {
      const response = await SELF.fetch(`http://storefront.test${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(errorProblems(await response.json()), path).toEqual([]);
    }
  });

  it("answers a method a REST path does not take with 405 and Allow, not 404", async () => {
    const cart = await SELF.fetch(`${REST_URL}/cart`, { method: "PUT" });
    expect(cart.status).toBe(405);
    expect(cart.headers.get("allow")).toBe("GET, HEAD");
    const body: unknown = await cart.json();
    expect(errorProblems(body)).toEqual([]);
    expect(body).toMatchObject({ code: "METHOD_NOT_SUPPORTED", data: { httpStatus: 405 } });
    const items = await SELF.fetch(`${REST_URL}/cart/items/some-product`, { method: "POST" });
    expect(items.status).toBe(405);
    expect(items.headers.get("allow")).toBe("PATCH, DELETE");
  });

  it("answers HEAD on a GET route as the GET does, without a body", async () => {
    const head = await SELF.fetch(`${REST_URL}/catalog/categories`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const signedOut = await SELF.fetch(`${REST_URL}/cart`, { method: "HEAD" });
    expect(signedOut.status).toBe(401);
  });
});

describe("REST and tRPC say the same thing the same way", () => {
  // What each transport answered, minus what differs by design: tRPC's envelope and JSON-RPC code,
  // and the request id.
  async function both(restCall: Promise<Response>, trpcCall: Promise<Response>) {
    const restResponse = await restCall;
    const trpcResponse = await trpcCall;
    const restBody = ErrorBody.parse(await restResponse.json());
    const { error } = await trpcResponse.json<{ error: { json: { message: string; data: Record<string, unknown> } } }>();
    const strip = ({ requestId: _, ...data }: Record<string, unknown>) => data;
    expect(restResponse.status).toBe(trpcResponse.status);
    return {
      rest: { message: restBody.message, data: strip(restBody.data) },
      trpc: { message: error.json.message, data: strip(error.json.data) },
    };
  }

  it("a validation failure: the same message, code and issues, and no reason key in either", async () => {
    const product = await createProduct();
    const { rest, trpcMutation } = await customer();
    const { rest: r, trpc: t } = await both(
      rest("POST", "/cart/items", JSON.stringify({ productId: product.id, quantity: 0 })),
      trpcMutation("cart.addItem", { productId: product.id, quantity: 0 }),
    );
    expect(r).toEqual(t);
    expect(r.data).toHaveProperty("issues");
    expect(Object.keys(t.data)).not.toContain("reason");
  });

  it("a business refusal: the same message, code and reason, and no issues key in either", async () => {
    const product = await createProduct();
    const { rest, trpcMutation } = await customer();
    await rest("POST", "/cart/items", JSON.stringify({ productId: product.id, quantity: 1 }));
    const { rest: r, trpc: t } = await both(
      rest("POST", "/cart/discount", JSON.stringify({ code: "NO-SUCH-CODE" })),
      trpcMutation("cart.applyDiscount", { code: "NO-SUCH-CODE" }),
    );
    expect(r).toEqual(t);
    expect(r.data).toMatchObject({ code: "PRECONDITION_FAILED", reason: "unknown" });
    expect(Object.keys(t.data)).not.toContain("issues");
  });

  it("malformed JSON: BAD_REQUEST with reason unparsable_input and one message on both", async () => {
    const ip = uniqueIp();
    const headers = { "content-type": "application/json", "cf-connecting-ip": ip };
    const { rest: r, trpc: t } = await both(
      SELF.fetch(`${REST_URL}/auth/login`, { method: "POST", headers, body: '{"email":' }),
      SELF.fetch(`${TRPC_URL}/auth.login`, { method: "POST", headers, body: '{"json":{"email":' }),
    );
    expect(r).toEqual(t);
    expect(r.data).toEqual({ code: "BAD_REQUEST", httpStatus: 400, path: "auth.login", reason: "unparsable_input" });
  });

  it("a wrong password says so, over REST as over tRPC, and the document says what that 401 means", async () => {
    const ip = uniqueIp();
    const email = uniqueEmail("wrong-password");
    const headers = { "content-type": "application/json", "cf-connecting-ip": ip };
    await SELF.fetch(`${REST_URL}/auth/signup`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email, password: STRONG_PASSWORD, name: "Wrong" }),
    });
    const credentials = { email, password: "Not-The-Password-1" };
    const attempt = JSON.stringify(credentials);
    const { rest: r, trpc: t } = await both(
      SELF.fetch(`${REST_URL}/auth/login`, { method: "POST", headers, body: attempt }),
      SELF.fetch(`${TRPC_URL}/auth.login`, { method: "POST", headers, body: JSON.stringify({ json: credentials }) }),
    );
    expect(r).toEqual(t);
    expect(r).toEqual({ message: "Email or password is incorrect.", data: { code: "UNAUTHORIZED", httpStatus: 401, path: "auth.login" } });
    // Not the generic "not signed in" a REST client would read as an expired session.
    expect(document.paths["/auth/login"].post.responses["401"].description).toMatch(/^Email or password is incorrect/);
  }, 30_000);
});

describe("a 401 says what happened to the token", () => {
  it("no token, no readable token (a failed sign-in's `Bearer null`), an expired one, a session that ended", async () => {
    const ip = uniqueIp();
    const me = (authorization?: string) =>
      SELF.fetch(`${REST_URL}/auth/me`, { headers: { "cf-connecting-ip": ip, ...(authorization ? { authorization } : {}) } });
    const messageOf = async (response: Response) => {
      expect(response.status).toBe(401);
      return ErrorBody.parse(await response.json()).message;
    };
    expect(await messageOf(await me())).toBe("Sign in to do this.");
    // A script's `TOKEN=$(… /auth/login … | jq -r .accessToken)` after a wrong password.
    expect(await messageOf(await me("Bearer null"))).toBe("The Authorization header holds no valid access token; sign in to get one.");

    const signup = await SELF.fetch(`${REST_URL}/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ email: uniqueEmail("token-story"), password: STRONG_PASSWORD, name: "Token" }),
    });
    const { accessToken } = await signup.json<{ accessToken: string }>();
    const expired = await forged(accessToken, { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } });
    expect(await messageOf(await me(`Bearer ${expired}`))).toBe(
      "Your access token has expired; renew it with your refresh token, or sign in again.",
    );
    await SELF.fetch(`${REST_URL}/auth/logout`, {
      method: "POST",
      headers: { "cf-connecting-ip": ip, authorization: `Bearer ${accessToken}` },
    });
    expect(await messageOf(await me(`Bearer ${accessToken}`))).toBe("Your session has ended (signed out or revoked); sign in again.");
  }, 30_000);
});
