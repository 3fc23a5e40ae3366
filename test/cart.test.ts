import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { errorCode, refusalOf as reasonOf, signedUpUser } from "./helpers/client";
import { MAX_CART_LINES } from "../db/carts";
import { createCategory, createDiscount, createProduct } from "./helpers/shop";

describe("cart", () => {
  it("adds, merges, updates and removes lines, with server-side totals", async () => {
    const { client } = await signedUpUser();
    const a = await createProduct({ priceCents: 1250 });
    const b = await createProduct({ priceCents: 999 });
    await client.cart.addItem.mutate({ productId: a.id, quantity: 1 });
    let cart = await client.cart.addItem.mutate({ productId: a.id, quantity: 2 });
    expect(cart.lines).toEqual([expect.objectContaining({ productId: a.id, quantity: 3, lineTotalCents: 3750 })]);
    cart = await client.cart.addItem.mutate({ productId: b.id, quantity: 1 });
    expect(cart).toMatchObject({ subtotalCents: 4749, discountCents: 0, shippingCents: 499, totalCents: 5248 });
    cart = await client.cart.updateItem.mutate({ productId: a.id, quantity: 5 });
    expect(cart.subtotalCents).toBe(5 * 1250 + 999);
    expect(cart.shippingCents).toBe(0);
    cart = await client.cart.updateItem.mutate({ productId: b.id, quantity: 0 });
    expect(cart.lines.map((l) => l.productId)).toEqual([a.id]);
    cart = await client.cart.removeItem.mutate({ productId: a.id });
    expect(cart).toMatchObject({ lines: [], subtotalCents: 0, shippingCents: 0, totalCents: 0 });
  });

  it("refuses bad quantities, unknown and archived products", async () => {
    const { client } = await signedUpUser();
    const product = await createProduct();
    const archived = await createProduct({ status: "archived" });
    expect(await errorCode(client.cart.addItem.mutate({ productId: product.id, quantity: 0 }))).toBe("BAD_REQUEST");
    expect(await errorCode(client.cart.addItem.mutate({ productId: product.id, quantity: 100 }))).toBe("BAD_REQUEST");
    await client.cart.addItem.mutate({ productId: product.id, quantity: 60 });
    // Valid input, refused by the line's limit: the reason says so.
    expect(await reasonOf(client.cart.addItem.mutate({ productId: product.id, quantity: 60 }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "line_quantity_limit",
      message: "A cart line holds at most 99 of a product.",
    });
    expect((await client.cart.get.query()).lines[0]?.quantity).toBe(60);
    expect(await errorCode(client.cart.addItem.mutate({ productId: "nope", quantity: 1 }))).toBe("NOT_FOUND");
    expect(await errorCode(client.cart.addItem.mutate({ productId: archived.id, quantity: 1 }))).toBe("NOT_FOUND");
    expect(await errorCode(client.cart.updateItem.mutate({ productId: archived.id, quantity: 2 }))).toBe("NOT_FOUND");
  });

  it("holds at most 50 different products, and still merges into a full cart", async () => {
    const { client } = await signedUpUser();
    const category = await createCategory();
    const products = await Promise.all(Array.from({ length: MAX_CART_LINES + 1 }, () => createProduct({ categoryId: category.id })));
    const [first, ...others] = products;
    const last = others.pop();
    if (!first || !last) throw new Error("fixture");
    for (const p of [first, ...others]) await client.cart.addItem.mutate({ productId: p.id, quantity: 1 });
    expect(await reasonOf(client.cart.addItem.mutate({ productId: last.id, quantity: 1 }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "cart_full",
    });
    const cart = await client.cart.addItem.mutate({ productId: first.id, quantity: 2 });
    expect(cart.lines).toHaveLength(MAX_CART_LINES);
    expect(cart.lines.find((l) => l.productId === first.id)?.quantity).toBe(3);
    expect(cart.lines.some((l) => l.productId === last.id)).toBe(false);
  }, 30_000);

  it("warns when a price changed or stock ran out since the item was added", async () => {
    const { client } = await signedUpUser();
    const product = await createProduct({ priceCents: 1000, stock: 5 });
    await client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
    await env.DB.prepare("update product_variants set price_cents = 1100, stock = 1 where id = ?1").bind(product.id).run();
    const cart = await client.cart.get.query();
    expect(cart.subtotalCents).toBe(2200);
    expect(cart.warnings).toEqual(
      expect.arrayContaining([
        { kind: "price_changed", productId: product.id, variantId: product.id, fromCents: 1000, toCents: 1100 },
        { kind: "out_of_stock", productId: product.id, variantId: product.id, stockStatus: "low", maxQuantity: 1 },
      ]),
    );
  });

  it("says what can be ordered when stock runs short, never the stock count above the low band", async () => {
    const { client } = await signedUpUser();
    const plenty = await createProduct({ priceCents: 1000, stock: 90 });
    const few = await createProduct({ priceCents: 1000, stock: 90 });
    const gone = await createProduct({ priceCents: 1000, stock: 90 });
    await client.cart.addItem.mutate({ productId: plenty.id, quantity: 60 });
    await client.cart.addItem.mutate({ productId: few.id, quantity: 4 });
    await client.cart.addItem.mutate({ productId: gone.id, quantity: 2 });
    await env.DB.prepare("update product_variants set stock = case id when ?1 then 37 when ?2 then 3 else 0 end where id in (?1, ?2, ?3)")
      .bind(plenty.id, few.id, gone.id)
      .run();
    const cart = await client.cart.get.query();
    expect(cart.warnings).toEqual(
      expect.arrayContaining([
        { kind: "out_of_stock", productId: plenty.id, variantId: plenty.id, stockStatus: "in_stock" },
        { kind: "out_of_stock", productId: few.id, variantId: few.id, stockStatus: "low", maxQuantity: 3 },
        { kind: "out_of_stock", productId: gone.id, variantId: gone.id, stockStatus: "out" },
      ]),
    );
    // No number anywhere in the cart equals the real stock of the well-stocked line.
    const numbers: number[] = [];
    JSON.stringify(cart, (_key, value: unknown) => (typeof value === "number" && numbers.push(value), value));
    expect(numbers).not.toContain(37);
  });

  it("is each customer's own", async () => {
    const alice = await signedUpUser();
    const bob = await signedUpUser();
    const product = await createProduct();
    await alice.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    expect((await bob.client.cart.get.query()).lines).toEqual([]);
    expect(await errorCode(bob.client.cart.updateItem.mutate({ productId: product.id, quantity: 3 }))).toBe("NOT_FOUND");
    expect((await alice.client.cart.get.query()).lines[0]?.quantity).toBe(1);
  });
});

describe("cart.applyDiscount", () => {
  it("applies a percentage code case-insensitively and removes it again", async () => {
    const { client } = await signedUpUser();
    const product = await createProduct({ priceCents: 1005 });
    const discount = await createDiscount({ kind: "percent", value: 10 });
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    let cart = await client.cart.applyDiscount.mutate({ code: discount.code.toLowerCase() });
    expect(cart).toMatchObject({ discountCode: discount.code, discountCents: 101, totalCents: 1005 - 101 + 499 });
    cart = await client.cart.removeDiscount.mutate();
    expect(cart).toMatchObject({ discountCode: null, discountCents: 0 });
  });

  it.each([
    ["unknown", {}, "unknown", true],
    ["disabled", { active: false }, "unknown", false],
    ["not started", { startsAt: Date.now() + 86_400_000 }, "not_started", false],
    ["expired", { endsAt: Date.now() - 1000 }, "expired", false],
    ["below minimum", { minSubtotalCents: 1_000_000 }, "below_minimum", false],
    ["used up", { maxRedemptions: 1 }, "used_up", false],
  ] as const)("refuses a code that is %s with PRECONDITION_FAILED and the reason", async (_, options, reason, useUnknownCode) => {
    const { client } = await signedUpUser();
    const product = await createProduct();
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    const discount = await createDiscount(options);
    if (reason === "used_up") await env.DB.prepare("update discounts set redemptions = 1 where id = ?1").bind(discount.id).run();
    const data = await reasonOf(client.cart.applyDiscount.mutate({ code: useUnknownCode ? "NO-SUCH-CODE" : discount.code }));
    expect(data).toMatchObject({ code: "PRECONDITION_FAILED", reason });
  });
});
