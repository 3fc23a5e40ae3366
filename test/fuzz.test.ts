// Property-based fuzzing through HTTP: every procedure of the router (read from the router, so a new
// one without a valid input here fails) gets generated and mutated inputs (wrong types, missing
// and extra fields, huge and odd strings, NUL bytes, NaN/Infinity/huge numbers, deep nesting, SQL
// and HTML metacharacters). The invariant: a success or a contract 4xx, never a 5xx or a hang,
// and a refused call changes nothing in D1.
import { env, SELF } from "cloudflare:test";
import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { signedUpUser, STRONG_PASSWORD, testClient, uniqueEmail, uniqueIp } from "./helpers/client";
import { coverage, routerProcedures, type ProcedureType } from "./helpers/procedures";
import { ADDRESS, createCategory, createDiscount, createProduct, newKey, signedUpAdmin } from "./helpers/shop";
import { openSubscription } from "./helpers/sse";

const METACHARACTERS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  "<script>alert(1)</script>",
  "%",
  "_",
  "\\",
  "${x}",
  "\u202e",
  "😀",
  "\ud800",
];
const FIELDS = [
  "email",
  "password",
  "name",
  "slug",
  "productId",
  "quantity",
  "code",
  "id",
  "cursor",
  "limit",
  "rating",
  "body",
  "idempotencyKey",
  "shippingAddress",
  "paymentToken",
  "status",
  "role",
  "userId",
  "priceCents",
  "stock",
  "kind",
  "value",
  "category",
  "q",
  "sort",
  "refreshToken",
  "currentPassword",
  "newPassword",
  "__proto__",
  "constructor",
];

const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(...METACHARACTERS),
  fc.constant("x".repeat(5000)),
  fc.integer(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, NaN, Infinity, -Infinity),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.bigInt(),
);
const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("object"), tie("array")),
  object: fc.dictionary(fc.constantFrom(...FIELDS), tie("value"), { maxKeys: 6 }),
  array: fc.array(tie("value"), { maxLength: 4 }),
})).value;
const deep = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
});
const input = fc.oneof(nested, deep, fc.dictionary(fc.constantFrom(...FIELDS), leaf, { minKeys: 1, maxKeys: 8 }));

const fingerprint = async () =>
  JSON.stringify(
    await env.DB.prepare(
      `select (select count(*) from users) u, (select count(*) from orders) o, (select total(stock) from products) s,
        (select count(*) from products) p, (select count(*) from cart_lines) c, (select count(*) from reviews) r,
        (select count(*) from discounts) d, (select total(redemptions) from discounts) dr, (select group_concat(role) from users) roles`,
    ).first(),
  );

/** The input as tRPC's wire format (superjson), or as raw JSON where superjson refuses to write it. */
function toWire(value: unknown) {
  try {
    return JSON.stringify(superjson.serialize(value));
  } catch {
    // superjson refuses to write some values (a `__proto__` key): send them as raw JSON instead.
    return JSON.stringify({ json: value }, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}

/** Sends one call; fails the case on any 5xx, or on an INTERNAL_SERVER_ERROR whatever its status. */
async function send(path: string, type: ProcedureType, value: unknown, token: string) {
  const wire = toWire(value);
  if (type === "subscription") return subscribeOnce(path, wire, token);
  const headers = { authorization: `Bearer ${token}`, "cf-connecting-ip": uniqueIp(), "content-type": "application/json" };
  const url = `http://storefront.test/trpc/${path}`;
  const response =
    type === "query"
      ? await SELF.fetch(`${url}?input=${encodeURIComponent(wire)}`, { headers })
      : await SELF.fetch(url, { method: "POST", headers, body: wire });
  const body = await response.text();
  expect(response.status, `status for ${path} ${wire.slice(0, 200)}`).toBeLessThan(500);
  expect(body, `body for ${path}`).not.toContain('"INTERNAL_SERVER_ERROR"');
  return response.status;
}

// How long an open subscription may stay silent before the case takes it as accepted. A refused
// input is answered at once (an error event); this only bounds how long a case watches.
const QUIET_MS = 150;

/**
 * Opens a subscription with the input and reads its first event (an error for a refused input, an
 * order's event for a valid one replaying from lastEventId "0"), then closes it. Its status is the
 * refusal's HTTP status, or 200 when it streamed or stayed open.
 */
async function subscribeOnce(path: string, wire: string, token: string) {
  const stream = await openSubscription(path, wire, { token });
  expect(stream.response.status, `status for ${path} ${wire.slice(0, 200)}`).toBeLessThan(500);
  const first = await stream.nextWithin(QUIET_MS);
  stream.close();
  expect(stream.received(), `events for ${path}`).not.toContain('"INTERNAL_SERVER_ERROR"');
  return first?.event === "serialized-error" ? 400 : stream.response.status;
}

interface Fixture {
  productId: string;
  productSlug: string;
  spareProductId: string;
  categorySlug: string;
  discountCode: string;
  discountId: string;
  orderId: string;
  userId: string;
  adminEmail: string;
  refreshToken: string;
  /** A session of its own for auth.logout, which would otherwise end the admin's. */
  logoutToken: string;
}

// A valid input per procedure (undefined for those that take none). The fuzzer sends it, and copies
// of it with one field replaced, so that generated cases also reach the procedures' bodies and not
// only their validation. Every procedure of the router needs one.
const VALID: Record<string, (f: Fixture) => unknown> = {
  "auth.me": () => undefined,
  "auth.logout": () => undefined,
  "catalog.categories": () => undefined,
  "cart.get": () => undefined,
  "cart.removeDiscount": () => undefined,
  // From the first event on, so a valid subscription answers at once (a replay from D1).
  "orders.onUpdate": (f) => ({ id: f.orderId, lastEventId: "0" }),
  "admin.orders.onUpdate": () => ({ lastEventId: "0" }),
  "catalog.list": (f) => ({ category: f.categorySlug, limit: 5 }),
  "catalog.get": (f) => ({ slug: f.productSlug }),
  "catalog.recommendations": (f) => ({ productId: f.productId }),
  "reviews.list": (f) => ({ productId: f.productId }),
  "orders.list": () => ({ limit: 5 }),
  "orders.get": (f) => ({ id: f.orderId }),
  "orders.receipt": (f) => ({ id: f.orderId }),
  "admin.products.get": (f) => ({ id: f.productId }),
  "admin.discounts.list": () => ({ limit: 5 }),
  "admin.orders.list": () => ({ status: "paid" }),
  "admin.orders.get": (f) => ({ id: f.orderId }),
  "admin.products.list": () => ({ q: "fuzz", limit: 5 }),
  "admin.products.images": (f) => ({ productId: f.productId }),
  "admin.variants.get": (f) => ({ productId: f.productId }),
  "admin.products.removeImage": (f) => ({ productId: f.productId, imageId: "no-such-image" }),
  "admin.products.restore": (f) => ({ id: f.spareProductId }),
  "admin.users.find": (f) => ({ email: f.adminEmail.slice(0, 6) }),
  "admin.users.get": (f) => ({ id: f.userId }),
  "admin.sales.daily": () => ({ days: 7 }),
  "admin.sales.summary": () => ({ days: 7 }),
  "admin.sales.topProducts": () => ({ days: 7, limit: 3 }),
  "admin.sales.topVariants": () => ({ days: 7, limit: 3 }),
  "admin.sales.discountUsage": () => ({ days: 7 }),
  "auth.signup": () => ({ email: uniqueEmail("fuzz"), password: STRONG_PASSWORD, name: "Fuzz" }),
  "auth.login": (f) => ({ email: f.adminEmail, password: STRONG_PASSWORD }),
  "auth.refresh": (f) => ({ refreshToken: f.refreshToken }),
  "auth.changePassword": () => ({ currentPassword: STRONG_PASSWORD, newPassword: "Another-Pass-99" }),
  "auth.sessions.list": () => undefined,
  "auth.sessions.revoke": () => ({ id: crypto.randomUUID() }),
  "auth.logoutEverywhere": () => undefined,
  "auth.exportData": () => undefined,
  // A wrong password: the fuzzer's admin must stay (it is the last admin here anyway).
  "auth.deleteAccount": () => ({ password: "Not-the-password-1" }),
  "auth.requestEmailVerification": () => undefined,
  "auth.verifyEmail": () => ({ token: "A".repeat(43) }),
  "auth.requestPasswordReset": () => ({ email: uniqueEmail("fuzz") }),
  "auth.resetPassword": () => ({ token: "A".repeat(43), newPassword: "Another-Pass-99" }),
  "auth.changeEmail": () => ({ newEmail: uniqueEmail("fuzz"), password: STRONG_PASSWORD }),
  "reviews.create": (f) => ({ productId: f.productId, rating: 4, body: "Fine" }),
  "cart.addItem": (f) => ({ productId: f.productId, quantity: 1 }),
  "cart.updateItem": (f) => ({ productId: f.productId, quantity: 2 }),
  "cart.removeItem": (f) => ({ productId: f.productId }),
  "cart.applyDiscount": (f) => ({ code: f.discountCode }),
  "checkout.paymentSetup": () => undefined,
  "cart.shippingOptions": () => ({ country: "US", region: "CA" }),
  "checkout.placeOrder": () => ({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
  "orders.cancel": (f) => ({ id: f.orderId }),
  "admin.products.create": (f) => ({
    slug: `fuzz-${crypto.randomUUID().slice(0, 8)}`,
    name: "Fuzz",
    category: f.categorySlug,
    priceCents: 100,
  }),
  "admin.products.update": (f) => ({ id: f.productId, name: "Renamed" }),
  "admin.products.archive": (f) => ({ id: f.spareProductId }),
  "admin.products.setStock": (f) => ({ productId: f.productId, stock: 10 }),
  // A product sold as one variant: its default variant has the product's id.
  "admin.variants.save": (f) => ({
    productId: f.productId,
    options: [],
    variants: [{ id: f.productId, sku: `FUZZ-${crypto.randomUUID().slice(0, 8)}`, optionValues: [], priceCents: 100, stock: 1000 }],
  }),
  "admin.variants.setStock": (f) => ({ items: [{ variantId: f.productId, stock: 1000 }] }),
  "admin.discounts.create": () => ({ code: `FUZZ${crypto.randomUUID().slice(0, 8)}`, kind: "fixed", value: 100 }),
  "admin.discounts.disable": (f) => ({ id: f.discountId }),
  "admin.orders.setStatus": (f) => ({ id: f.orderId, status: "shipped" }),
  "admin.users.setRole": (f) => ({ userId: f.userId, role: "customer" }),
};

/** Generated inputs for one procedure: anything, its valid input, or that input with one field changed. */
function inputsFor(valid: (f: Fixture) => unknown, f: Fixture) {
  const example = valid(f);
  const fields = typeof example === "object" && example !== null ? Object.keys(example) : [];
  const asValid = fc.constant(null).map(() => valid(f));
  if (fields.length === 0) return fc.oneof(input, asValid);
  const oneFieldChanged = fc
    .tuple(fc.constantFrom(...fields), leaf)
    .map(([field, value]) => ({ ...(valid(f) as Record<string, unknown>), [field]: value }));
  return fc.oneof(input, asValid, oneFieldChanged);
}

const RUNS = 25;

describe("fuzzing every procedure through HTTP", async () => {
  // An admin token reaches every procedure's validation; refusals must still change nothing.
  const admin = await signedUpAdmin();
  const category = await createCategory();
  const [product, spare] = [
    await createProduct({ categoryId: category.id, stock: 1000 }),
    await createProduct({ categoryId: category.id }),
  ];
  const discount = await createDiscount();
  await admin.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
  const order = await admin.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  const customer = await signedUpUser();
  const leaving = await signedUpUser();
  const token = admin.session.tokens!.accessToken;
  const fixture: Fixture = {
    productId: product.id,
    productSlug: product.slug,
    spareProductId: spare.id,
    categorySlug: category.slug,
    discountCode: discount.code,
    discountId: discount.id,
    orderId: order.id,
    userId: customer.user.id,
    adminEmail: admin.email,
    // Its own session: refreshing the admin's would revoke the fuzzer's token on the first reuse.
    refreshToken: customer.session.tokens!.refreshToken,
    logoutToken: leaving.session.tokens!.accessToken,
  };

  it("has a valid input for every procedure of the router, and none for a procedure it lacks", () => {
    expect(coverage(Object.keys(VALID))).toEqual({ missing: [], unknown: [] });
  });

  for (const { path, type } of routerProcedures()) {
    it(`${path}: ${RUNS} generated inputs give no 5xx, and a refused one changes nothing`, async () => {
      const valid = VALID[path];
      if (!valid) throw new Error(`${path} has no valid input in test/fuzz.test.ts (VALID)`);
      const caller = path === "auth.logout" ? fixture.logoutToken : token;
      // The state before a case: what the last refused case left (it changed nothing), else read afresh.
      let known: string | null = null;
      await fc.assert(
        fc.asyncProperty(inputsFor(valid, fixture), async (value) => {
          const before = known ?? (await fingerprint());
          const status = await send(path, type, value, caller);
          known = null;
          if (status >= 400) {
            const after = await fingerprint();
            expect(after).toBe(before);
            known = after;
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: 20_000 },
      );
    });
  }
});

describe("strings round-trip byte-exact", () => {
  const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0 && s === s.trim());

  it("a signup name of any unicode comes back unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(text, async (name) => {
        const { client, session } = testClient();
        session.tokens = await client.auth.signup.mutate({ email: uniqueEmail(), password: STRONG_PASSWORD, name });
        expect((await client.auth.me.query()).name).toBe(name);
      }),
      { numRuns: 8 },
    );
  });

  it("a review body with metacharacters and any unicode comes back unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, fc.constantFrom("' OR 1=1 --", "<img src=x onerror=alert(1)>", "a%_\\b", "😀‮")), async (body) => {
        const [product, author] = await Promise.all([createProduct(), signedUpUser()]);
        await author.client.reviews.create.mutate({ productId: product.id, rating: 3, body });
        const listed = await author.client.reviews.list.query({ productId: product.id });
        expect(listed.items[0]?.body).toBe(body);
      }),
      { numRuns: 10 },
    );
  });
});
