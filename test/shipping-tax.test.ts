// Shipping options and tax from cart to order, with the demo zones and rates (scripts/demo-shipping.ts).
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { demoShippingSql } from "../scripts/demo-shipping";
import { clientWithEnv, refusalOf, signedUpUser } from "./helpers/client";
import { createDiscount, createProduct, newKey, signedUpAdmin, stockOf } from "./helpers/shop";

const BERLIN = { name: "Erika Muster", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE" };
const SAN_FRANCISCO = { name: "Sam Doe", line1: "1 Market St", city: "San Francisco", region: "CA", postalCode: "94105", country: "US" };

beforeAll(async () => {
  await env.DB.batch(demoShippingSql().map((sql) => env.DB.prepare(sql)));
});

async function shopperWith(priceCents: number, quantity = 1, stock = 10) {
  const product = await createProduct({ priceCents, stock });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity });
  return { ...shopper, product };
}

async function refusal(call: Promise<unknown>) {
  const refused = await refusalOf(call);
  if (!refused) throw new Error("expected the call to be refused");
  return refused;
}

const paymentAmount = async (orderId: string) =>
  (await env.DB.prepare("select amount_cents as n from payments where order_id = ?1").bind(orderId).first<{ n: number }>())?.n;
const ordersOf = async (userId: string) =>
  (await env.DB.prepare("select count(*) as n from orders where user_id = ?1").bind(userId).first<{ n: number }>())?.n;

describe("cart.shippingOptions", () => {
  it("lists the options of the country's zone with this cart's prices, cheapest first", async () => {
    const { client } = await shopperWith(2500);
    expect(await client.cart.shippingOptions.query({ country: "DE" })).toEqual([
      { id: "eu-standard", name: "Standard", priceCents: 699, estimatedDays: { min: 3, max: 5 } },
      { id: "eu-express", name: "Express", priceCents: 1490, estimatedDays: { min: 1, max: 2 } },
    ]);
  });

  it("makes an option free once the cart reaches its threshold", async () => {
    const { client } = await shopperWith(5000, 2);
    expect((await client.cart.shippingOptions.query({ country: "FR" })).map((o) => [o.id, o.priceCents])).toEqual([
      ["eu-standard", 0],
      ["eu-express", 1490],
    ]);
  });

  it("falls back to the default zone for a country no zone lists", async () => {
    const { client } = await shopperWith(1000);
    expect(await client.cart.shippingOptions.query({ country: "JP" })).toEqual([
      { id: "standard", name: "Standard", priceCents: 499, estimatedDays: { min: 3, max: 7 } },
    ]);
  });

  it("refuses a country code that is not one, and a state that is not one", async () => {
    const { client } = await shopperWith(1000);
    const country = await refusal(client.cart.shippingOptions.query({ country: "ZZ" }));
    expect(country.code).toBe("BAD_REQUEST");
    expect(country.issues?.map((i) => i.path)).toEqual(["country"]);
    expect(await refusal(client.cart.shippingOptions.query({ country: "US", region: "XX" }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "unknown_region",
    });
  });
});

describe("cart.get for a destination", () => {
  it("shows inclusive VAT per line and in total without adding it", async () => {
    const { client } = await shopperWith(2500);
    const cart = await client.cart.get.query({ country: "DE", shippingOptionId: "eu-express" });
    // 2500 / 1.19 → 2101 net, 399 tax; express 1490 / 1.19 → 1252 net, 238 tax.
    expect(cart).toMatchObject({
      shippingOptionId: "eu-express",
      shippingCents: 1490,
      taxCents: 399 + 238,
      taxInclusive: true,
      totalCents: 3990,
    });
    expect(cart.lines[0]?.taxCents).toBe(399);
  });

  it("shows no tax and the default zone's shipping without a destination, as before", async () => {
    const { client } = await shopperWith(2500);
    expect(await client.cart.get.query()).toMatchObject({
      shippingOptionId: "standard",
      shippingCents: 499,
      taxCents: 0,
      taxInclusive: false,
      totalCents: 2999,
    });
  });
});

describe("checkout with shipping options and tax", () => {
  it("ships express to Germany with VAT included: the total is the gross prices plus shipping", async () => {
    const { client, product } = await shopperWith(2500, 2);
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: BERLIN,
      paymentToken: "tok_visa",
      shippingOptionId: "eu-express",
    });
    // 5000 / 1.19 = 4201.68 → 4202 net, 798 tax; 1490 / 1.19 = 1252.1 → 1252 net, 238 tax.
    expect(order).toMatchObject({
      status: "paid",
      subtotalCents: 5000,
      shippingCents: 1490,
      shippingOptionId: "eu-express",
      taxCents: 798 + 238,
      taxInclusive: true,
      totalCents: 6490,
      lines: [{ productId: product.id, quantity: 2, unitPriceCents: 2500, taxCents: 798 }],
    });
    expect(await paymentAmount(order.id)).toBe(6490);
    expect(await client.orders.get.query({ id: order.id })).toMatchObject({
      taxCents: 1036,
      taxInclusive: true,
      lines: [{ taxCents: 798 }],
    });
  });

  it("ships standard to California with sales tax added to the charge, not on shipping", async () => {
    const { client } = await shopperWith(2000, 2);
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: SAN_FRANCISCO,
      paymentToken: "tok_visa",
      shippingOptionId: "us-standard",
    });
    // 4000 × 7.25 % = 290; shipping 499 untaxed in California.
    expect(order).toMatchObject({
      subtotalCents: 4000,
      shippingCents: 499,
      taxCents: 290,
      taxInclusive: false,
      totalCents: 4000 + 499 + 290,
    });
    expect(await paymentAmount(order.id)).toBe(4789);
  });

  it("taxes the discounted amount, the discount spread over the lines in proportion", async () => {
    const a = await createProduct({ priceCents: 3000 });
    const b = await createProduct({ priceCents: 1000 });
    const discount = await createDiscount({ kind: "fixed", value: 400 });
    const { client } = await signedUpUser();
    await client.cart.addItem.mutate({ productId: a.id, quantity: 1 });
    await client.cart.addItem.mutate({ productId: b.id, quantity: 1 });
    await client.cart.applyDiscount.mutate({ code: discount.code });
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: SAN_FRANCISCO,
      paymentToken: "tok_visa",
    });
    // 400 off split 300 / 100: 2700 × 7.25 % = 195.75 → 196, 900 × 7.25 % = 65.25 → 65.
    const byProduct = Object.fromEntries(order.lines.map((l) => [l.productId, l.taxCents]));
    expect(byProduct).toEqual({ [a.id]: 196, [b.id]: 65 });
    expect(order).toMatchObject({ discountCents: 400, shippingCents: 499, taxCents: 261, totalCents: 4000 - 400 + 499 + 261 });
  });

  it("taxes shipping where the state says so (New York)", async () => {
    const { client } = await shopperWith(2000, 3);
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: { ...SAN_FRANCISCO, city: "New York", region: "NY", postalCode: "10001" },
      paymentToken: "tok_visa",
      shippingOptionId: "us-express",
    });
    // 6000 × 4 % = 240; 1999 × 4 % = 79.96 → 80.
    expect(order).toMatchObject({ shippingCents: 1999, taxCents: 320, totalCents: 6000 + 1999 + 320 });
  });

  it("takes the cheapest option when the client names none (clients written before options)", async () => {
    const { client } = await shopperWith(1000);
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: BERLIN, paymentToken: "tok_visa" });
    expect(order).toMatchObject({ shippingOptionId: "eu-standard", shippingCents: 699, totalCents: 1699 });
  });

  it("ignores a price the client sends for shipping or tax", async () => {
    const { client } = await shopperWith(1000);
    const input = {
      idempotencyKey: newKey(),
      shippingAddress: BERLIN,
      paymentToken: "tok_visa",
      shippingOptionId: "eu-express",
      shippingCents: 0,
      taxCents: 0,
      totalCents: 1,
    };
    const order = await client.checkout.placeOrder.mutate(input);
    expect(order).toMatchObject({ shippingCents: 1490, totalCents: 2490 });
    expect(await paymentAmount(order.id)).toBe(2490);
  });

  it("refuses an option of another zone before anything is reserved", async () => {
    const { client, product, user } = await shopperWith(1000, 1, 3);
    const refused = await refusal(
      client.checkout.placeOrder.mutate({
        idempotencyKey: newKey(),
        shippingAddress: BERLIN,
        paymentToken: "tok_visa",
        shippingOptionId: "us-express",
      }),
    );
    expect(refused).toMatchObject({ code: "BAD_REQUEST", reason: "shipping_option_unavailable" });
    expect(await stockOf(product.id)).toBe(3);
    expect(await ordersOf(user.id)).toBe(0);
  });

  it("refuses a made-up state, and a missing one where the shop taxes per state", async () => {
    const { client, product } = await shopperWith(1000, 1, 3);
    for (const region of ["XX", undefined]) {
      const refused = await refusal(
        client.checkout.placeOrder.mutate({
          idempotencyKey: newKey(),
          shippingAddress: { ...SAN_FRANCISCO, region },
          paymentToken: "tok_visa",
        }),
      );
      expect(refused).toMatchObject({ code: "BAD_REQUEST", reason: "unknown_region" });
    }
    expect(await stockOf(product.id)).toBe(3);
  });

  it("refuses a country code that is not one, on the field", async () => {
    const { client } = await shopperWith(1000);
    const refused = await refusal(
      client.checkout.placeOrder.mutate({
        idempotencyKey: newKey(),
        shippingAddress: { ...BERLIN, country: "XK" },
        paymentToken: "tok_visa",
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.issues?.map((i) => i.path)).toEqual(["shippingAddress.country"]);
  });

  it("refuses an address in a country no zone covers, before anything is reserved", async () => {
    const { client, product, user } = await shopperWith(1000, 1, 3);
    // Without the default zone, Japan is in no zone.
    await env.DB.prepare("update shipping_zones set is_default = 0 where id = 'default'").run();
    try {
      const refused = await refusal(
        client.checkout.placeOrder.mutate({
          idempotencyKey: newKey(),
          shippingAddress: { ...BERLIN, country: "JP" },
          paymentToken: "tok_visa",
        }),
      );
      expect(refused).toMatchObject({ code: "PRECONDITION_FAILED", reason: "no_shipping_to_address" });
      expect(await client.cart.shippingOptions.query({ country: "JP" })).toEqual([]);
    } finally {
      await env.DB.prepare("update shipping_zones set is_default = 1 where id = 'default'").run();
    }
    expect(await stockOf(product.id)).toBe(3);
    expect(await ordersOf(user.id)).toBe(0);
  });

  it("treats the same key with another shipping option as a different order", async () => {
    const { client } = await shopperWith(1000, 1);
    const key = newKey();
    await client.checkout.placeOrder.mutate({
      idempotencyKey: key,
      shippingAddress: BERLIN,
      paymentToken: "tok_visa",
      shippingOptionId: "eu-express",
    });
    expect(
      await refusal(
        client.checkout.placeOrder.mutate({
          idempotencyKey: key,
          shippingAddress: BERLIN,
          paymentToken: "tok_visa",
          shippingOptionId: "eu-standard",
        }),
      ),
    ).toMatchObject({ reason: "idempotency_key_reused" });
    // The identical retry answers the same order.
    const again = await client.checkout.placeOrder.mutate({
      idempotencyKey: key,
      shippingAddress: BERLIN,
      paymentToken: "tok_visa",
      shippingOptionId: "eu-express",
    });
    expect(again).toMatchObject({ shippingOptionId: "eu-express", shippingCents: 1490 });
  });
});

describe("the sales report", () => {
  it("counts the tax of sold orders", async () => {
    const admin = await signedUpAdmin();
    const before = await admin.client.admin.sales.summary.query({ days: 2 });
    const { client } = await shopperWith(2000, 3);
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: SAN_FRANCISCO,
      paymentToken: "tok_visa",
    });
    const after = await admin.client.admin.sales.summary.query({ days: 2 });
    expect(order.taxCents).toBe(435);
    expect(after.taxCents - before.taxCents).toBe(435);
    expect(after.revenueCents - before.revenueCents).toBe(order.totalCents);
  });
});

describe("orders.receipt", () => {
  it("gives the order with its tax and the shop's legal details, to its owner only", async () => {
    const { client } = await shopperWith(2500, 2);
    const order = await client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: BERLIN,
      paymentToken: "tok_visa",
      shippingOptionId: "eu-express",
    });
    const receipt = await client.orders.receipt.query({ id: order.id });
    expect(receipt.order).toMatchObject({ id: order.id, taxCents: 1036, taxInclusive: true, totalCents: 6490, lines: [{ taxCents: 798 }] });
    expect(receipt.shop.name).toBe(env.SHOP_NAME);
    expect(receipt.shop.address).toEqual(env.SHOP_ADDRESS.split("|"));
    expect(receipt.shop.taxId).toBeNull();
    const stranger = await signedUpUser();
    expect(await refusal(stranger.client.orders.receipt.query({ id: order.id }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("prints the shop's tax registration where one is configured", async () => {
    const shopper = await shopperWith(1000);
    const order = await shopper.client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: BERLIN,
      paymentToken: "tok_visa",
    });
    const { client } = clientWithEnv({ SHOP_TAX_ID: " DE123456789 " }, shopper.session.tokens);
    expect((await client.orders.receipt.query({ id: order.id })).shop.taxId).toBe("DE123456789");
  });
});
