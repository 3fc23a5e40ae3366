// The permission matrix: every procedure × {anonymous, customer, other customer, admin}.
import { describe, expect, it } from "vitest";
import type { StorefrontClient } from "@storefront/client";
import { errorCode, signedUpUser, testClient } from "./helpers/client";
import { ADDRESS, createProduct, newKey, signedUpAdmin } from "./helpers/shop";

type Who = "public" | "signed-in" | "owner" | "admin";

interface Fixture {
  productId: string;
  productSlug: string;
  orderId: string;
}

// Each call uses inputs that are valid in shape, so a refusal can only come from who is asking.
const PROCEDURES: [string, Who, (c: StorefrontClient, f: Fixture) => Promise<unknown>][] = [
  ["catalog.categories", "public", (c) => c.catalog.categories.query()],
  ["catalog.list", "public", (c) => c.catalog.list.query({})],
  ["catalog.get", "public", (c, f) => c.catalog.get.query({ slug: f.productSlug })],
  ["catalog.recommendations", "public", (c, f) => c.catalog.recommendations.query({ productId: f.productId })],
  ["reviews.list", "public", (c, f) => c.reviews.list.query({ productId: f.productId })],
  ["reviews.create", "signed-in", (c, f) => c.reviews.create.mutate({ productId: f.productId, rating: 5, body: "Good" })],
  ["auth.me", "signed-in", (c) => c.auth.me.query()],
  ["cart.get", "signed-in", (c) => c.cart.get.query()],
  ["cart.addItem", "signed-in", (c, f) => c.cart.addItem.mutate({ productId: f.productId, quantity: 1 })],
  ["cart.updateItem", "signed-in", (c, f) => c.cart.updateItem.mutate({ productId: f.productId, quantity: 0 })],
  ["cart.removeItem", "signed-in", (c, f) => c.cart.removeItem.mutate({ productId: f.productId })],
  ["cart.removeDiscount", "signed-in", (c) => c.cart.removeDiscount.mutate()],
  ["orders.list", "signed-in", (c) => c.orders.list.query()],
  ["orders.get", "owner", (c, f) => c.orders.get.query({ id: f.orderId })],
  ["admin.products.get", "admin", (c, f) => c.admin.products.get.query({ id: f.productId })],
  ["admin.products.setStock", "admin", (c, f) => c.admin.products.setStock.mutate({ productId: f.productId, stock: 50 })],
  ["admin.discounts.list", "admin", (c) => c.admin.discounts.list.query()],
  ["admin.orders.list", "admin", (c) => c.admin.orders.list.query()],
  ["admin.orders.setStatus", "admin", (c, f) => c.admin.orders.setStatus.mutate({ id: f.orderId, status: "paid" })],
  ["admin.users.setRole", "admin", (c) => c.admin.users.setRole.mutate({ userId: "no-such-user", role: "customer" })],
];

const EXPECTED: Record<Who, Record<"anonymous" | "customer" | "other" | "admin", string | null>> = {
  public: { anonymous: null, customer: null, other: null, admin: null },
  "signed-in": { anonymous: "UNAUTHORIZED", customer: null, other: null, admin: null },
  // Someone else's order does not exist for them.
  owner: { anonymous: "UNAUTHORIZED", customer: null, other: "NOT_FOUND", admin: null },
  admin: { anonymous: "UNAUTHORIZED", customer: "FORBIDDEN", other: "FORBIDDEN", admin: null },
};

// A permitted call may still be refused for business reasons; those never speak of permission.
const PERMISSION_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN"]);

describe("permission matrix", async () => {
  const product = await createProduct({ stock: 100 });
  const owner = await signedUpUser();
  await owner.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
  const order = await owner.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
  const fixture: Fixture = { productId: product.id, productSlug: product.slug, orderId: order.id };
  const callers = {
    anonymous: testClient().client,
    customer: owner.client,
    other: (await signedUpUser()).client,
    admin: (await signedUpAdmin()).client,
  };

  for (const [name, who, call] of PROCEDURES) {
    for (const [role, client] of Object.entries(callers) as [keyof typeof callers, StorefrontClient][]) {
      const expected = EXPECTED[who][role];
      it(`${name} as ${role}: ${expected ?? "allowed"}`, async () => {
        const code = await errorCode(call(client, fixture));
        if (expected) expect(code).toBe(expected);
        else if (who === "owner") expect(code).toBeUndefined();
        else expect(PERMISSION_CODES.has(code ?? "")).toBe(false);
      });
    }
  }

  it("lets only the owner cancel an order (NOT_FOUND for others, even admins use admin.orders)", async () => {
    expect(await errorCode(callers.other.orders.cancel.mutate({ id: order.id }))).toBe("NOT_FOUND");
    expect(await errorCode(callers.admin.orders.cancel.mutate({ id: order.id }))).toBe("NOT_FOUND");
    expect(await errorCode(callers.anonymous.orders.cancel.mutate({ id: order.id }))).toBe("UNAUTHORIZED");
  });

  it("ignores fields a customer may not set (mass assignment)", async () => {
    const sneaky = { productId: product.id, quantity: 1, priceCents: 1, userId: "someone-else", role: "admin", status: "archived" };
    const cart = await callers.other.cart.addItem.mutate(sneaky);
    expect(cart.lines[0]?.unitPriceCents).toBe(product.priceCents);
    expect((await callers.other.auth.me.query()).role).toBe("customer");
  });
});
