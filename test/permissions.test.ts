// The permission matrix: every procedure of the router (read from the router, so a new one
// without a row here fails) × {anonymous, customer, other customer, admin}.
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import type { StorefrontClient } from "@storefront/client";
import { errorCode, signedUpUser, STRONG_PASSWORD, testClient, uniqueEmail, userInD1 } from "./helpers/client";
import { coverage } from "./helpers/procedures";
import { ADDRESS, createCategory, createDiscount, createProduct, newKey, signedUpAdmin } from "./helpers/shop";
import { openSubscription, sseError } from "./helpers/sse";

// "owner": the order's owner or an admin; "owner-only": the owner alone (an admin acts on orders
// through admin.orders, and someone else's order does not exist for them).
type Who = "public" | "signed-in" | "owner" | "owner-only" | "admin";

interface Fixture {
  productId: string;
  productSlug: string;
  categorySlug: string;
  spareProductId: string;
  discountCode: string;
  spareDiscountId: string;
  orderId: string;
  loginEmail: string;
  /** A refresh token of a session nobody else uses (each refresh rotates the one it is given). */
  freshRefreshToken: () => Promise<string>;
}

/** A caller: the client, and its access token for subscriptions (read as SSE; the client's EventSource is not used here). */
interface Caller {
  client: StorefrontClient;
  token: string | null;
}

/** A subscription's first event: resolves on an order event, rejects with the code and reason of an error event. */
async function firstEvent(path: string, input: unknown, token: string | null) {
  const stream = await openSubscription(path, JSON.stringify(superjson.serialize(input)), { token });
  try {
    const event = await stream.next();
    const refused = sseError(event);
    if (refused) throw Object.assign(new Error(refused.code), { data: refused });
    if (event.event === "closed" || event.data === undefined) throw new Error(`${path} ended without an event`);
    return event;
  } finally {
    stream.close();
  }
}

/** What a caller observes: success, or the error's code and reason. */
type Outcome = "ok" | { code: string; reason?: string };

async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return "ok";
  } catch (error) {
    const data = (error as { data?: { code?: string; reason?: string } }).data;
    return { code: data?.code ?? "UNKNOWN", ...(data?.reason ? { reason: data.reason } : {}) };
  }
}

// Each call uses inputs that are valid in shape, so a refusal can only come from who is asking,
// or from the one business refusal listed beside it (the same for every caller who may ask).
// Cells run in order: the cart calls build on one another, and checkout buys what the cart holds.
// auth.logout comes last: it ends each caller's session.
const PROCEDURES: [string, Who, (c: StorefrontClient, f: Fixture, token: string | null) => Promise<unknown>, Outcome?][] = [
  ["auth.signup", "public", (c) => c.auth.signup.mutate({ email: uniqueEmail("matrix"), password: STRONG_PASSWORD, name: "Matrix" })],
  ["auth.login", "public", (c, f) => c.auth.login.mutate({ email: f.loginEmail, password: STRONG_PASSWORD })],
  ["auth.refresh", "public", async (c, f) => c.auth.refresh.mutate({ refreshToken: await f.freshRefreshToken() })],
  ["catalog.categories", "public", (c) => c.catalog.categories.query()],
  ["catalog.list", "public", (c) => c.catalog.list.query({})],
  ["catalog.get", "public", (c, f) => c.catalog.get.query({ slug: f.productSlug })],
  ["catalog.recommendations", "public", (c, f) => c.catalog.recommendations.query({ productId: f.productId })],
  ["reviews.list", "public", (c, f) => c.reviews.list.query({ productId: f.productId })],
  ["reviews.create", "signed-in", (c, f) => c.reviews.create.mutate({ productId: f.productId, rating: 5, body: "Good" })],
  ["auth.me", "signed-in", (c) => c.auth.me.query()],
  ["auth.requestEmailVerification", "signed-in", (c) => c.auth.requestEmailVerification.mutate()],
  ["auth.requestPasswordReset", "public", (c) => c.auth.requestPasswordReset.mutate({ email: uniqueEmail("matrix") })],
  [
    "auth.verifyEmail",
    "public",
    (c) => c.auth.verifyEmail.mutate({ token: "A".repeat(43) }),
    { code: "BAD_REQUEST", reason: "token_invalid" },
  ],
  [
    "auth.resetPassword",
    "public",
    (c) => c.auth.resetPassword.mutate({ token: "A".repeat(43), newPassword: "Matrix-Reset-77" }),
    { code: "BAD_REQUEST", reason: "token_invalid" },
  ],
  // Before auth.changePassword, which changes the password it checks.
  ["auth.changeEmail", "signed-in", (c) => c.auth.changeEmail.mutate({ newEmail: uniqueEmail("matrix"), password: STRONG_PASSWORD })],
  [
    "auth.changePassword",
    "signed-in",
    (c) => c.auth.changePassword.mutate({ currentPassword: STRONG_PASSWORD, newPassword: "Matrix-Changed-77" }),
  ],
  ["cart.get", "signed-in", (c) => c.cart.get.query()],
  ["cart.shippingOptions", "signed-in", (c) => c.cart.shippingOptions.query({ country: "DE" })],
  ["cart.addItem", "signed-in", (c, f) => c.cart.addItem.mutate({ productId: f.productId, quantity: 1 })],
  ["cart.applyDiscount", "signed-in", (c, f) => c.cart.applyDiscount.mutate({ code: f.discountCode })],
  ["checkout.paymentSetup", "public", (c) => c.checkout.paymentSetup.query()],
  [
    "checkout.placeOrder",
    "signed-in",
    (c) => c.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
  ],
  ["cart.updateItem", "signed-in", (c, f) => c.cart.updateItem.mutate({ productId: f.productId, quantity: 0 })],
  ["cart.removeItem", "signed-in", (c, f) => c.cart.removeItem.mutate({ productId: f.productId })],
  ["cart.removeDiscount", "signed-in", (c) => c.cart.removeDiscount.mutate()],
  ["orders.list", "signed-in", (c) => c.orders.list.query()],
  ["orders.get", "owner", (c, f) => c.orders.get.query({ id: f.orderId })],
  ["orders.receipt", "owner", (c, f) => c.orders.receipt.query({ id: f.orderId })],
  // From the first event on, so an allowed caller gets the order's payment at once (a replay from D1).
  ["orders.onUpdate", "owner", (_, f, token) => firstEvent("orders.onUpdate", { id: f.orderId, lastEventId: "0" }, token)],
  ["admin.products.get", "admin", (c, f) => c.admin.products.get.query({ id: f.productId })],
  [
    "admin.products.create",
    "admin",
    (c, f) =>
      c.admin.products.create.mutate({
        slug: `made-${crypto.randomUUID().slice(0, 8)}`,
        name: "Made",
        category: f.categorySlug,
        priceCents: 100,
      }),
  ],
  ["admin.products.update", "admin", (c, f) => c.admin.products.update.mutate({ id: f.productId, name: "Renamed" })],
  ["admin.products.setStock", "admin", (c, f) => c.admin.products.setStock.mutate({ productId: f.productId, stock: 50 })],
  ["admin.products.archive", "admin", (c, f) => c.admin.products.archive.mutate({ id: f.spareProductId })],
  ["admin.variants.get", "admin", (c, f) => c.admin.variants.get.query({ productId: f.productId })],
  [
    "admin.variants.save",
    "admin",
    (c, f) =>
      c.admin.variants.save.mutate({
        productId: f.productId,
        options: [],
        variants: [{ id: f.productId, sku: `PERM-${crypto.randomUUID().slice(0, 8)}`, optionValues: [], priceCents: 100, stock: 100 }],
      }),
  ],
  ["admin.variants.setStock", "admin", (c, f) => c.admin.variants.setStock.mutate({ items: [{ variantId: f.productId, stock: 100 }] })],
  ["admin.products.restore", "admin", (c, f) => c.admin.products.restore.mutate({ id: f.productId })],
  ["admin.products.list", "admin", (c) => c.admin.products.list.query({ q: "x" })],
  ["admin.products.images", "admin", (c, f) => c.admin.products.images.query({ productId: f.productId })],
  [
    "admin.products.removeImage",
    "admin",
    (c, f) => c.admin.products.removeImage.mutate({ productId: f.productId, imageId: "no-such-image" }),
    { code: "NOT_FOUND" },
  ],
  ["admin.discounts.list", "admin", (c) => c.admin.discounts.list.query()],
  [
    "admin.discounts.create",
    "admin",
    (c) => c.admin.discounts.create.mutate({ code: `NEW${crypto.randomUUID().slice(0, 8)}`, kind: "fixed", value: 100 }),
  ],
  ["admin.discounts.disable", "admin", (c, f) => c.admin.discounts.disable.mutate({ id: f.spareDiscountId })],
  ["admin.orders.list", "admin", (c) => c.admin.orders.list.query()],
  ["admin.orders.get", "admin", (c, f) => c.admin.orders.get.query({ id: f.orderId })],
  ["admin.orders.onUpdate", "admin", (_, __, token) => firstEvent("admin.orders.onUpdate", { lastEventId: "0" }, token)],
  ["admin.users.find", "admin", (c) => c.admin.users.find.query({ email: "nobody@" })],
  ["admin.users.get", "admin", (c) => c.admin.users.get.query({ id: "no-such-user" }), { code: "NOT_FOUND" }],
  ["admin.sales.daily", "admin", (c) => c.admin.sales.daily.query()],
  ["admin.sales.summary", "admin", (c) => c.admin.sales.summary.query()],
  ["admin.sales.topProducts", "admin", (c) => c.admin.sales.topProducts.query()],
  ["admin.sales.topVariants", "admin", (c) => c.admin.sales.topVariants.query()],
  ["admin.sales.discountUsage", "admin", (c) => c.admin.sales.discountUsage.query()],
  [
    "admin.orders.setStatus",
    "admin",
    (c, f) => c.admin.orders.setStatus.mutate({ id: f.orderId, status: "paid" }),
    { code: "PRECONDITION_FAILED", reason: "invalid_transition" },
  ],
  [
    "admin.users.setRole",
    "admin",
    (c) => c.admin.users.setRole.mutate({ userId: "no-such-user", role: "customer" }),
    { code: "NOT_FOUND" },
  ],
  // After admin.orders.setStatus, which expects the order paid.
  ["orders.cancel", "owner-only", (c, f) => c.orders.cancel.mutate({ id: f.orderId })],
  ["auth.sessions.list", "signed-in", (c) => c.auth.sessions.list.query()],
  // Someone else's session or none: the same NOT_FOUND (test/account.test.ts revokes real ones).
  ["auth.sessions.revoke", "signed-in", (c) => c.auth.sessions.revoke.mutate({ id: "no-such-session" }), { code: "NOT_FOUND" }],
  ["auth.exportData", "signed-in", (c) => c.auth.exportData.query()],
  ["auth.deleteAccount", "signed-in", (c) => c.auth.deleteAccount.mutate({ password: "Wrong-password-1" }), { code: "FORBIDDEN" }],
  // Ends every other session of the caller; their own stays for auth.logout.
  ["auth.logoutEverywhere", "signed-in", (c) => c.auth.logoutEverywhere.mutate()],
  ["auth.logout", "signed-in", (c) => c.auth.logout.mutate()],
];

type Role = "anonymous" | "customer" | "other" | "admin";
const refused = (code: string): Outcome => ({ code });

// null: the caller may ask, and gets success or the procedure's listed business refusal.
const EXPECTED: Record<Who, Record<Role, Outcome | null>> = {
  public: { anonymous: null, customer: null, other: null, admin: null },
  "signed-in": { anonymous: refused("UNAUTHORIZED"), customer: null, other: null, admin: null },
  // Someone else's order does not exist for them.
  owner: { anonymous: refused("UNAUTHORIZED"), customer: null, other: refused("NOT_FOUND"), admin: null },
  "owner-only": { anonymous: refused("UNAUTHORIZED"), customer: null, other: refused("NOT_FOUND"), admin: refused("NOT_FOUND") },
  admin: { anonymous: refused("UNAUTHORIZED"), customer: refused("FORBIDDEN"), other: refused("FORBIDDEN"), admin: null },
};

const label = (o: Outcome) => (o === "ok" ? "ok" : [o.code, o.reason].filter(Boolean).join(" "));

describe("permission matrix", async () => {
  const product = await createProduct({ stock: 100 });
  const category = await createCategory();
  const spare = await createProduct({ categoryId: category.id });
  const [discount, spareDiscount] = [await createDiscount(), await createDiscount()];
  const owner = await signedUpUser();
  await owner.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
  const order = await owner.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  const login = await userInD1();
  const fixture: Fixture = {
    productId: product.id,
    productSlug: product.slug,
    categorySlug: category.slug,
    spareProductId: spare.id,
    discountCode: discount.code,
    spareDiscountId: spareDiscount.id,
    orderId: order.id,
    loginEmail: login.email,
    freshRefreshToken: async () => (await userInD1()).tokens.refreshToken,
  };
  const other = await signedUpUser();
  const admin = await signedUpAdmin();
  const callers: Record<Role, Caller> = {
    anonymous: { client: testClient().client, token: null },
    customer: { client: owner.client, token: owner.session.tokens!.accessToken },
    other: { client: other.client, token: other.session.tokens!.accessToken },
    admin: { client: admin.client, token: admin.session.tokens!.accessToken },
  };

  it("has a row for every procedure of the router, and none for a procedure it lacks", () => {
    expect(coverage(PROCEDURES.map(([name]) => name))).toEqual({ missing: [], unknown: [] });
  });

  // Before the matrix, whose last row logs every caller out.
  it("lets only the owner cancel an order (NOT_FOUND for others, even admins use admin.orders)", async () => {
    expect(await errorCode(callers.other.client.orders.cancel.mutate({ id: order.id }))).toBe("NOT_FOUND");
    expect(await errorCode(callers.admin.client.orders.cancel.mutate({ id: order.id }))).toBe("NOT_FOUND");
    expect(await errorCode(callers.anonymous.client.orders.cancel.mutate({ id: order.id }))).toBe("UNAUTHORIZED");
  });

  it("ignores fields a customer may not set (mass assignment)", async () => {
    const sneaky = { productId: product.id, quantity: 1, priceCents: 1, userId: "someone-else", role: "admin", status: "archived" };
    const cart = await callers.other.client.cart.addItem.mutate(sneaky);
    expect(cart.lines[0]?.unitPriceCents).toBe(product.priceCents);
    expect((await callers.other.client.auth.me.query()).role).toBe("customer");
  });

  for (const [name, who, call, refusal] of PROCEDURES) {
    for (const [role, caller] of Object.entries(callers) as [Role, Caller][]) {
      // A 5xx is never "allowed": an allowed cell must succeed or give exactly its listed refusal.
      const expected = EXPECTED[who][role] ?? refusal ?? "ok";
      it(`${name} as ${role}: ${label(expected)}`, async () => {
        expect(await outcomeOf(call(caller.client, fixture, caller.token))).toEqual(expected);
      });
    }
  }
});
