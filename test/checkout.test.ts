import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { errorCode, errorData, refusalOf, signedUpUser } from "./helpers/client";
import { ADDRESS, createDiscount, createProduct, createProductWithVariants, newKey, stockOf, variantStockOf } from "./helpers/shop";

async function refusal(call: Promise<unknown>) {
  const refused = await refusalOf(call);
  if (!refused) throw new Error("expected the call to be refused");
  return refused;
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function shopperWith(items: { productId: string; variantId?: string; quantity: number }[]) {
  const shopper = await signedUpUser();
  for (const item of items) await shopper.client.cart.addItem.mutate(item);
  return shopper;
}

describe("checkout.placeOrder", () => {
  it("charges, creates a paid order at server-side prices, decrements stock and empties the cart", async () => {
    const a = await createProduct({ priceCents: 2000, stock: 5 });
    const b = await createProduct({ priceCents: 750, stock: 5 });
    const { client, user } = await shopperWith([
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 1 },
    ]);
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    expect(order).toMatchObject({ status: "paid", subtotalCents: 4750, shippingCents: 499, totalCents: 5249, currency: "USD" });
    expect(order.lines).toHaveLength(2);
    expect(await stockOf(a.id)).toBe(3);
    expect(await stockOf(b.id)).toBe(4);
    expect((await client.cart.get.query()).lines).toEqual([]);
    expect(
      await count("select count(*) as n from payments where order_id = ?1 and status = 'succeeded' and amount_cents = 5249", order.id),
    ).toBe(1);
    // The order as orders.get shows it; checkout adds only what is left to do to pay (nothing).
    const { nextAction, ...placed } = order;
    expect(nextAction).toBeNull();
    expect(await client.orders.get.query({ id: order.id })).toEqual(placed);
    expect((await client.orders.list.query()).items.map((o) => o.id)).toEqual([order.id]);
    expect(await count("select count(*) as n from orders where id = ?1 and user_id = ?2", order.id, user.id)).toBe(1);
  });

  it("applies the cart's discount and redeems it once", async () => {
    const product = await createProduct({ priceCents: 10_000 });
    const discount = await createDiscount({ kind: "fixed", value: 1500, onePerCustomer: true, maxRedemptions: 10 });
    const { client } = await shopperWith([{ productId: product.id, quantity: 1 }]);
    await client.cart.applyDiscount.mutate({ code: discount.code });
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    expect(order).toMatchObject({ discountCents: 1500, discountCode: discount.code, totalCents: 8500 });
    expect(await count("select redemptions as n from discounts where id = ?1", discount.id)).toBe(1);
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    expect(await refusal(client.cart.applyDiscount.mutate({ code: discount.code }))).toMatchObject({ reason: "already_used" });
  });

  it("leaves a 3-D Secure order (tok_threeDSecure2Required) pending with its stock and discount, and returns the client secret", async () => {
    const product = await createProduct({ stock: 3 });
    const discount = await createDiscount({ maxRedemptions: 5 });
    const { client, user } = await shopperWith([{ productId: product.id, quantity: 2 }]);
    await client.cart.applyDiscount.mutate({ code: discount.code });
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: ADDRESS,
      paymentToken: "tok_threeDSecure2Required",
    });
    expect(order.status).toBe("pending");
    expect(order.nextAction).toEqual({
      type: "confirm_payment",
      provider: "test",
      clientSecret: expect.stringMatching(/^pi_test_[\w-]+_secret_[0-9a-f]{32}$/) as unknown,
    });
    expect(await stockOf(product.id)).toBe(1);
    expect(await count("select redemptions as n from discounts where id = ?1", discount.id)).toBe(1);
    expect(await count("select count(*) as n from payments where order_id = ?1 and status = 'pending'", order.id)).toBe(1);
    expect((await client.orders.get.query({ id: order.id })).status).toBe("pending");
    expect(await count("select count(*) as n from cart_lines where user_id = ?1", user.id)).toBe(0);
  });

  it("leaves no order, releases stock and keeps the cart when the card is declined", async () => {
    const product = await createProduct({ stock: 2 });
    const discount = await createDiscount({ maxRedemptions: 5 });
    const { client, user } = await shopperWith([{ productId: product.id, quantity: 2 }]);
    await client.cart.applyDiscount.mutate({ code: discount.code });
    const declined = await refusal(
      client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_declined" }),
    );
    expect(declined).toMatchObject({ code: "PRECONDITION_FAILED", reason: "payment_declined", message: "Your card was declined." });
    const outage = await refusal(
      client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_error" }),
    );
    expect(outage).toMatchObject({ code: "PRECONDITION_FAILED", reason: "payment_unavailable" });
    expect(await stockOf(product.id)).toBe(2);
    expect(await count("select count(*) as n from orders where user_id = ?1", user.id)).toBe(0);
    expect(await count("select redemptions as n from discounts where id = ?1", discount.id)).toBe(0);
    const cart = await client.cart.get.query();
    expect(cart.lines[0]?.quantity).toBe(2);
    expect(cart.discountCode).toBe(discount.code);
  });

  it("refuses an empty cart, a sold-out item and an expired discount with the reason", async () => {
    const empty = await signedUpUser();
    expect(
      await refusal(
        empty.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
      ),
    ).toMatchObject({
      reason: "empty_cart",
    });
    const product = await createProduct({ stock: 1 });
    const { client } = await shopperWith([{ productId: product.id, quantity: 1 }]);
    await env.DB.prepare("update product_variants set stock = 0 where id = ?1").bind(product.id).run();
    expect(
      await refusal(client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" })),
    ).toMatchObject({
      reason: "out_of_stock",
    });
    await env.DB.prepare("update product_variants set stock = 5 where id = ?1").bind(product.id).run();
    const discount = await createDiscount({ endsAt: Date.now() + 60_000 });
    await client.cart.applyDiscount.mutate({ code: discount.code });
    await env.DB.prepare("update discounts set ends_at = ?2 where id = ?1")
      .bind(discount.id, Date.now() - 1)
      .run();
    expect(
      await refusal(client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" })),
    ).toMatchObject({
      reason: "expired",
    });
  });

  it("validates the shipping address field by field", async () => {
    const { client } = await signedUpUser();
    const data = await refusal(
      client.checkout.placeOrder.mutate({
        idempotencyKey: newKey(),
        shippingAddress: { ...ADDRESS, country: "Britain", city: "" },
        paymentToken: "tok_visa",
      }),
    );
    expect(data.code).toBe("BAD_REQUEST");
    expect((data as unknown as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      "shippingAddress.city",
      "shippingAddress.country",
    ]);
  });

  // Ten signups, each a real Argon2id derivation: seconds on a busy machine.
  it("never oversells when many customers race for the last units", { timeout: 60_000 }, async () => {
    const product = await createProduct({ stock: 3, priceCents: 500 });
    const shoppers = await Promise.all(Array.from({ length: 10 }, () => shopperWith([{ productId: product.id, quantity: 1 }])));
    const results = await Promise.allSettled(
      shoppers.map((s) =>
        s.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
      ),
    );
    const sold = results.filter((r) => r.status === "fulfilled").length;
    expect(sold).toBe(3);
    expect(await stockOf(product.id)).toBe(0);
    expect(await count("select coalesce(sum(quantity), 0) as n from order_lines where product_id = ?1", product.id)).toBe(3);
    for (const r of results) if (r.status === "rejected") expect(errorData(r.reason)?.code).toBe("PRECONDITION_FAILED");
  });

  it("never oversells a variant: two variants of one product sell out independently under a race", { timeout: 90_000 }, async () => {
    const product = await createProductWithVariants({
      variants: [
        { size: "M", colour: "Blue", priceCents: 1300, stock: 2 },
        { size: "L", colour: "Blue", priceCents: 1400, stock: 3 },
        { size: "S", colour: "Red", priceCents: 1000, stock: 50 },
      ],
    });
    const [mBlue, lBlue, sRed] = product.variants;
    if (!mBlue || !lBlue || !sRed) throw new Error("three variants");
    const shoppers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        shopperWith([{ productId: product.id, variantId: (i % 2 === 0 ? mBlue : lBlue).id, quantity: 1 }]),
      ),
    );
    const results = await Promise.allSettled(
      shoppers.map((s) =>
        s.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
      ),
    );
    const soldOf = (variantId: string) =>
      results.filter((r) => r.status === "fulfilled" && r.value.lines.some((l) => l.variantId === variantId)).length;
    expect(soldOf(mBlue.id)).toBe(2);
    expect(soldOf(lBlue.id)).toBe(3);
    expect(await variantStockOf(mBlue.id)).toBe(0);
    expect(await variantStockOf(lBlue.id)).toBe(0);
    // The variant nobody raced for is untouched, and the product's summary is what is left.
    expect(await variantStockOf(sRed.id)).toBe(50);
    expect(await stockOf(product.id)).toBe(50);
    expect(await count("select coalesce(sum(quantity), 0) as n from order_lines where variant_id = ?1", mBlue.id)).toBe(2);
    expect(await count("select coalesce(sum(quantity), 0) as n from order_lines where variant_id = ?1", lBlue.id)).toBe(3);
    for (const r of results) if (r.status === "rejected") expect(errorData(r.reason)?.code).toBe("PRECONDITION_FAILED");
  });

  it("never redeems a limited discount more often than allowed under concurrency", async () => {
    const product = await createProduct({ stock: 100 });
    const discount = await createDiscount({ maxRedemptions: 2 });
    const shoppers = await Promise.all(Array.from({ length: 6 }, () => shopperWith([{ productId: product.id, quantity: 1 }])));
    for (const s of shoppers) await s.client.cart.applyDiscount.mutate({ code: discount.code });
    const results = await Promise.allSettled(
      shoppers.map((s) =>
        s.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(await count("select redemptions as n from discounts where id = ?1", discount.id)).toBe(2);
    expect(await count("select count(*) as n from discount_redemptions where discount_id = ?1", discount.id)).toBe(2);
    expect(await stockOf(product.id)).toBe(98);
  });

  it("returns the same order for the same idempotency key and charges once, even when requests race", async () => {
    const product = await createProduct({ stock: 10 });
    const { client, user } = await shopperWith([{ productId: product.id, quantity: 1 }]);
    const key = newKey();
    const input = { idempotencyKey: key, shippingAddress: ADDRESS, paymentToken: "tok_visa" };
    const raced = await Promise.allSettled([
      client.checkout.placeOrder.mutate(input),
      client.checkout.placeOrder.mutate(input),
      client.checkout.placeOrder.mutate(input),
    ]);
    const ids = new Set(raced.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id));
    expect(ids.size).toBe(1);
    const again = await client.checkout.placeOrder.mutate(input);
    expect(ids.has(again.id)).toBe(true);
    expect(await count("select count(*) as n from orders where user_id = ?1", user.id)).toBe(1);
    expect(await count("select count(*) as n from payments p join orders o on o.id = p.order_id where o.user_id = ?1", user.id)).toBe(1);
    expect(await stockOf(product.id)).toBe(9);
  });

  it("refuses an anonymous caller", async () => {
    const { testClient } = await import("./helpers/client");
    expect(
      await errorCode(
        testClient().client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
      ),
    ).toBe("UNAUTHORIZED");
  });
});
