// admin.sales.*: the dashboard's aggregates equal what this file's own orders add up to, and an
// empty shop gives zeros (this file's storage starts empty, so the first test sees no orders).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "../domain/sales";
import { signedUpUser } from "./helpers/client";
import { ADDRESS, createDiscount, createProduct, createProductWithVariants, newKey, signedUpAdmin } from "./helpers/shop";

const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

async function buy(lines: { productId: string; variantId?: string; quantity: number }[], code?: string) {
  const shopper = await signedUpUser();
  for (const line of lines) await shopper.client.cart.addItem.mutate(line);
  if (code) await shopper.client.cart.applyDiscount.mutate({ code });
  const order = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  return { ...shopper, order };
}

const backdate = (orderId: string, days: number) =>
  env.DB.prepare("update orders set created_at = created_at - ?2 where id = ?1")
    .bind(orderId, days * DAY_MS)
    .run();

describe("admin.sales", () => {
  it("gives zeros and empty lists for an empty shop", async () => {
    const { client } = await signedUpAdmin();
    const daily = await client.admin.sales.daily.query();
    expect(daily.days).toHaveLength(30);
    expect(daily.days.at(-1)?.date).toBe(today);
    expect(daily.days.every((d) => d.orders === 0 && d.revenueCents === 0)).toBe(true);
    expect(await client.admin.sales.summary.query()).toMatchObject({
      orders: 0,
      revenueCents: 0,
      averageOrderCents: 0,
      discountedOrders: 0,
      discountCents: 0,
      refundedOrders: 0,
      refundedCents: 0,
      refundRate: 0,
    });
    expect(await client.admin.sales.topProducts.query()).toEqual([]);
    expect(await client.admin.sales.discountUsage.query()).toEqual([]);
  });

  it("adds up this file's orders: per day, average, top products, discounts, refund rate", async () => {
    const admin = await signedUpAdmin();
    const kettle = await createProduct({ priceCents: 1500, stock: 50 });
    const lamp = await createProduct({ priceCents: 6000, stock: 50 });
    const discount = await createDiscount({ kind: "fixed", value: 500, maxRedemptions: 10 });

    const a = await buy([{ productId: kettle.id, quantity: 2 }]);
    const b = await buy([{ productId: lamp.id, quantity: 1 }], discount.code);
    const c = await buy([{ productId: kettle.id, quantity: 1 }]);
    await c.client.orders.cancel.mutate({ id: c.order.id });
    const d = await buy([{ productId: kettle.id, quantity: 1 }]);
    await backdate(d.order.id, 3);
    const old = await buy([{ productId: lamp.id, quantity: 5 }]);
    await backdate(old.order.id, 40); // outside the 30 days

    const sold = [a.order, b.order, d.order];
    const revenue = sold.reduce((sum, o) => sum + o.totalCents, 0);
    expect(b.order.discountCents).toBe(500);

    const summary = await admin.client.admin.sales.summary.query({ days: 30 });
    expect(summary).toMatchObject({
      currency: "USD",
      orders: 3,
      revenueCents: revenue,
      averageOrderCents: Math.round(revenue / 3),
      discountedOrders: 1,
      discountCents: 500,
      refundedOrders: 1,
      refundedCents: c.order.totalCents,
      refundRate: 0.25,
    });

    const daily = await admin.client.admin.sales.daily.query({ days: 30 });
    const byDate = new Map(daily.days.map((day) => [day.date, day]));
    expect(byDate.get(today)).toEqual({ date: today, orders: 2, revenueCents: a.order.totalCents + b.order.totalCents });
    expect(byDate.get(daysAgo(3))).toEqual({ date: daysAgo(3), orders: 1, revenueCents: d.order.totalCents });
    expect(daily.days.reduce((sum, day) => sum + day.revenueCents, 0)).toBe(revenue);
    // A shorter window leaves the older order out.
    expect((await admin.client.admin.sales.summary.query({ days: 2 })).orders).toBe(2);

    expect(await admin.client.admin.sales.topProducts.query({ days: 30, limit: 5 })).toEqual([
      { productId: lamp.id, name: lamp.name, slug: lamp.slug, units: 1, revenueCents: 6000 },
      { productId: kettle.id, name: kettle.name, slug: kettle.slug, units: 3, revenueCents: 4500 },
    ]);
    expect(await admin.client.admin.sales.discountUsage.query({ days: 30 })).toEqual([
      { code: discount.code, orders: 1, discountCents: 500, revenueCents: b.order.totalCents, redemptions: 1, maxRedemptions: 10 },
    ]);
  });

  it("reports sales per variant, each named as its order lines recorded it", async () => {
    const admin = await signedUpAdmin();
    const shirt = await createProductWithVariants({ stock: 20 });
    const [sRed, , , mBlue] = shirt.variants;
    if (!sRed || !mBlue) throw new Error("variants");
    await buy([
      { productId: shirt.id, variantId: mBlue.id, quantity: 10 },
      { productId: shirt.id, variantId: sRed.id, quantity: 1 },
    ]);
    await buy([{ productId: shirt.id, variantId: sRed.id, quantity: 2 }]);
    const top = await admin.client.admin.sales.topVariants.query({ days: 1, limit: 20 });
    const mine = top.filter((row) => row.productId === shirt.id);
    expect(mine).toEqual([
      {
        productId: shirt.id,
        variantId: mBlue.id,
        name: shirt.name,
        variantLabel: "M / Blue",
        sku: mBlue.sku,
        units: 10,
        revenueCents: 13000,
      },
      { productId: shirt.id, variantId: sRed.id, name: shirt.name, variantLabel: "S / Red", sku: sRed.sku, units: 3, revenueCents: 3000 },
    ]);
  });
});
