// Products sold in variants: what the catalog shows of them, and what a cart and a checkout accept.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { refusalOf, signedUpUser, testClient } from "./helpers/client";
import {
  signedUpAdmin,
  ADDRESS,
  createCategory,
  createProduct,
  createProductWithVariants,
  newKey,
  setVariant,
  stockOf,
  variantStockOf,
} from "./helpers/shop";

async function refusal(call: Promise<unknown>) {
  const refused = await refusalOf(call);
  if (!refused) throw new Error("expected the call to be refused");
  return refused;
}

describe("catalog with variants", () => {
  it("catalog.get returns the options and each variant's SKU, values, price and stock band, never its count", async () => {
    const product = await createProductWithVariants({
      variants: [
        { size: "S", colour: "Red", priceCents: 1000, stock: 40 },
        { size: "S", colour: "Blue", priceCents: 1100, stock: 2 },
        { size: "M", colour: "Blue", priceCents: 1300, stock: 0 },
      ],
    });
    const page = await testClient().client.catalog.get.query({ slug: product.slug });
    expect(page.options).toEqual([
      { name: "Size", values: ["S", "M"] },
      { name: "Colour", values: ["Red", "Blue"] },
    ]);
    expect(page.variants).toEqual(
      product.variants.map((v) => ({
        id: v.id,
        sku: v.sku,
        optionValues: [v.size, v.colour],
        label: `${v.size} / ${v.colour}`,
        priceCents: v.priceCents,
        stockStatus: v.stock === 0 ? "out" : v.stock === 2 ? "low" : "in_stock",
        images: [],
      })),
    );
    expect(JSON.stringify(page.variants)).not.toMatch(/"stock"\s*:/);
    // The product as a whole: from its lowest price to its highest, in stock while any variant is.
    expect(page).toMatchObject({ priceCents: 1000, maxPriceCents: 1300, stockStatus: "in_stock" });
  });

  it("lists the price range and sorts by the lowest price", async () => {
    const category = await createCategory();
    const shirt = await createProductWithVariants({ categoryId: category.id });
    const plain = await createProduct({ categoryId: category.id, priceCents: 1050 });
    const list = await testClient().client.catalog.list.query({ category: category.slug, sort: "price_asc" });
    expect(list.items.map((p) => [p.id, p.priceCents, p.maxPriceCents])).toEqual([
      [shirt.id, 1000, 1300],
      [plain.id, 1050, 1050],
    ]);
  });

  it("finds a product by a variant's SKU", async () => {
    const product = await createProductWithVariants();
    const [variant] = product.variants;
    if (!variant) throw new Error("variants");
    const found = await testClient().client.catalog.list.query({ q: variant.sku });
    expect(found.items.map((p) => p.id)).toEqual([product.id]);
  });
});

describe("search over variants' SKUs", () => {
  it("keeps the index whole through every kind of variant write, INSERT OR IGNORE included (FTS5 integrity check)", async () => {
    const product = await createProductWithVariants();
    const [first, second] = product.variants;
    if (!first || !second) throw new Error("variants");
    const write = (sql: string, ...binds: unknown[]) =>
      env.DB.prepare(sql)
        .bind(...binds)
        .run();
    const ids = async (q: string) => (await testClient().client.catalog.list.query({ q })).items.map((p) => p.id);
    await write("update product_variants set sku = 'QX-RENAMED-1' where id = ?1", first.id);
    await write(
      "insert or ignore into product_variants (id, product_id, sku, option1, option2, price_cents) values (?1, ?2, 'QX-IGNORED', 'S', 'Red', 1)",
      second.id,
      product.id,
    );
    await write("update product_variants set status = 'archived' where id = ?1", second.id);
    await write(
      "insert into product_variants (id, product_id, sku, option1, option2, price_cents) values (?1, ?2, 'QX-ADDED-2', 'L', 'Red', 1500)",
      crypto.randomUUID(),
      product.id,
    );
    await write("update product_variants set stock = 9, price_cents = 1234 where id = ?1", first.id);
    await write("delete from product_variants where id = ?1", first.id);
    await write("insert into products_fts(products_fts, rank) values ('integrity-check', 1)");
    expect(await ids("QX-ADDED-2")).toEqual([product.id]);
    expect(await ids("QX-RENAMED-1")).toEqual([]);
    expect(await ids(second.sku)).toEqual([]);
    expect(await ids("QX-IGNORED")).toEqual([]);
  });
});

describe("cart.addItem with variants", () => {
  it("adds a product sold as one variant without naming it, as clients of the old contract do", async () => {
    const { client } = await signedUpUser();
    const product = await createProduct({ priceCents: 700 });
    const cart = await client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
    expect(cart.lines).toEqual([expect.objectContaining({ productId: product.id, variantId: product.id, variantLabel: "", quantity: 2 })]);
  });

  it("keeps one line per variant, each at its own price, with its label", async () => {
    const { client } = await signedUpUser();
    const product = await createProductWithVariants();
    const [sRed, , , mBlue] = product.variants;
    if (!sRed || !mBlue) throw new Error("variants");
    await client.cart.addItem.mutate({ productId: product.id, variantId: mBlue.id, quantity: 1 });
    await client.cart.addItem.mutate({ productId: product.id, variantId: sRed.id, quantity: 2 });
    const cart = await client.cart.addItem.mutate({ productId: product.id, variantId: mBlue.id, quantity: 1 });
    expect(cart.lines.map((l) => [l.variantId, l.variantLabel, l.sku, l.quantity, l.unitPriceCents])).toEqual([
      [mBlue.id, "M / Blue", mBlue.sku, 2, 1300],
      [sRed.id, "S / Red", sRed.sku, 2, 1000],
    ]);
    expect(cart.subtotalCents).toBe(2 * 1300 + 2 * 1000);
    const after = await client.cart.updateItem.mutate({ productId: product.id, variantId: sRed.id, quantity: 0 });
    expect(after.lines.map((l) => l.variantId)).toEqual([mBlue.id]);
  });

  it("refuses a product of several variants without one, another product's variant, a variant off sale, an archived product's", async () => {
    const { client } = await signedUpUser();
    const product = await createProductWithVariants();
    const other = await createProductWithVariants();
    const [first, second] = product.variants;
    const [foreign] = other.variants;
    if (!first || !second || !foreign) throw new Error("variants");
    expect(await refusal(client.cart.addItem.mutate({ productId: product.id, quantity: 1 }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "variant_unavailable",
    });
    expect(await refusal(client.cart.addItem.mutate({ productId: product.id, variantId: foreign.id, quantity: 1 }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "variant_unavailable",
    });
    await setVariant(first.id, { status: "archived" });
    expect(await refusal(client.cart.addItem.mutate({ productId: product.id, variantId: first.id, quantity: 1 }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "variant_unavailable",
    });
    await env.DB.prepare("update products set status = 'archived' where id = ?1").bind(other.id).run();
    expect(await refusal(client.cart.addItem.mutate({ productId: other.id, variantId: foreign.id, quantity: 1 }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await client.cart.get.query()).lines).toEqual([]);
  });
});

describe("checkout with variants", () => {
  it("takes stock from the variant bought, snapshots its label and SKU on the order, and gives it back on cancel", async () => {
    const { client } = await signedUpUser();
    const product = await createProductWithVariants({ stock: 5 });
    const [, , , mBlue] = product.variants;
    if (!mBlue) throw new Error("variants");
    await client.cart.addItem.mutate({ productId: product.id, variantId: mBlue.id, quantity: 2 });
    const order = await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    expect(order.lines).toEqual([
      {
        productId: product.id,
        variantId: mBlue.id,
        name: product.name,
        variantLabel: "M / Blue",
        sku: mBlue.sku,
        unitPriceCents: 1300,
        quantity: 2,
        taxCents: 0,
      },
    ]);
    expect(order.totalCents).toBe(2600 + 499);
    expect(await variantStockOf(mBlue.id)).toBe(3);
    expect(await stockOf(product.id)).toBe(5 * 3 + 3);
    await client.orders.cancel.mutate({ id: order.id });
    expect(await variantStockOf(mBlue.id)).toBe(5);
    expect(await stockOf(product.id)).toBe(20);
  });

  it("refuses a cart whose variant was taken off sale, with the variant named in the warning", async () => {
    const { client } = await signedUpUser();
    const product = await createProductWithVariants();
    const [variant] = product.variants;
    if (!variant) throw new Error("variants");
    await client.cart.addItem.mutate({ productId: product.id, variantId: variant.id, quantity: 1 });
    await setVariant(variant.id, { status: "archived" });
    expect((await client.cart.get.query()).warnings).toEqual([{ kind: "unavailable", productId: product.id, variantId: variant.id }]);
    const refused = await refusal(
      client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
    );
    expect(refused).toMatchObject({ code: "PRECONDITION_FAILED", reason: "out_of_stock" });
  });
});

describe("admin.variants", () => {
  it("turns a product sold as one into a grid of variants, shown to shoppers on the next read", async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct({ priceCents: 1500, stock: 4 });
    const shopper = testClient().client;
    expect((await shopper.catalog.get.query({ slug: product.slug })).variants).toHaveLength(1);
    const grid = await admin.client.admin.variants.save.mutate({
      productId: product.id,
      options: [{ name: "Size", values: ["M", "L"] }],
      variants: [
        { id: product.id, sku: "GRID-M", optionValues: ["M"], priceCents: 1500, stock: 4 },
        { sku: "GRID-L", optionValues: ["L"], priceCents: 1700, stock: 0, weightGrams: 250 },
      ],
    });
    expect(grid.variants.map((v) => [v.sku, v.label, v.priceCents, v.stock, v.weightGrams, v.status])).toEqual([
      ["GRID-M", "M", 1500, 4, null, "active"],
      ["GRID-L", "L", 1700, 0, 250, "active"],
    ]);
    const page = await shopper.catalog.get.query({ slug: product.slug });
    expect(page.options).toEqual([{ name: "Size", values: ["M", "L"] }]);
    expect(page.variants.map((v) => [v.sku, v.label, v.stockStatus])).toEqual([
      ["GRID-M", "M", "low"],
      ["GRID-L", "L", "out"],
    ]);
    expect(page).toMatchObject({ priceCents: 1500, maxPriceCents: 1700 });

    // Bulk stock: the catalog follows at once.
    const large = grid.variants[1];
    if (!large) throw new Error("variants");
    expect(await admin.client.admin.variants.setStock.mutate({ items: [{ variantId: large.id, stock: 30 }] })).toEqual({
      updated: [large.id],
    });
    expect((await shopper.catalog.get.query({ slug: product.slug })).variants.map((v) => v.stockStatus)).toEqual(["low", "in_stock"]);
    expect(await stockOf(product.id)).toBe(34);

    // A variant left out is archived (order lines may name it), and off sale.
    await admin.client.admin.variants.save.mutate({
      productId: product.id,
      options: [{ name: "Size", values: ["M", "L"] }],
      variants: [{ id: large.id, sku: "GRID-L", optionValues: ["L"], priceCents: 1700, stock: 30 }],
    });
    const after = await admin.client.admin.variants.get.query({ productId: product.id });
    expect(after.variants.map((v) => [v.sku, v.status])).toEqual([
      ["GRID-L", "active"],
      ["GRID-M", "archived"],
    ]);
    expect((await shopper.catalog.get.query({ slug: product.slug })).variants.map((v) => v.sku)).toEqual(["GRID-L"]);
  });

  it("refuses a grid that does not add up, another product's variant, a SKU taken, an absurd weight", async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct();
    const other = await createProduct();
    const save = (variants: Parameters<typeof admin.client.admin.variants.save.mutate>[0]["variants"]) =>
      refusal(
        admin.client.admin.variants.save.mutate({ productId: product.id, options: [{ name: "Size", values: ["M", "L"] }], variants }),
      );
    expect(await save([{ sku: "R-1", optionValues: ["XL"], priceCents: 1, stock: 1 }])).toMatchObject({ code: "BAD_REQUEST" });
    expect(await save([{ id: other.id, sku: "R-2", optionValues: ["M"], priceCents: 1, stock: 1 }])).toMatchObject({ code: "BAD_REQUEST" });
    expect(await save([{ sku: other.slug, optionValues: ["M"], priceCents: 1, stock: 1 }])).toMatchObject({ code: "CONFLICT" });
    expect(await save([{ sku: "R-3", optionValues: ["M"], priceCents: 1, stock: 1, weightGrams: -5 }])).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await save([{ sku: "R-4", optionValues: ["M"], priceCents: 1, stock: 1, weightGrams: 5_000_000 }])).toMatchObject({
      code: "BAD_REQUEST",
    });
    // Nothing changed.
    expect((await admin.client.admin.variants.get.query({ productId: product.id })).variants.map((v) => v.sku)).toEqual([product.slug]);
    expect(
      await refusal(admin.client.admin.products.setStock.mutate({ productId: (await createProductWithVariants()).id, stock: 3 })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      reason: "variant_unavailable",
    });
  });
});

describe("admin.products with variants", () => {
  it("edits a product of several variants with its shown price unchanged, and refuses a new single price", async () => {
    const admin = await signedUpAdmin();
    const shirt = await createProductWithVariants();
    const renamed = await admin.client.admin.products.update.mutate({ id: shirt.id, name: "Renamed Tee", priceCents: 1000 });
    expect(renamed).toMatchObject({ name: "Renamed Tee", priceCents: 1000 });
    expect(await refusal(admin.client.admin.products.update.mutate({ id: shirt.id, priceCents: 999 }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "variant_unavailable",
    });
    const single = await createProduct({ priceCents: 500 });
    expect(await admin.client.admin.products.update.mutate({ id: single.id, priceCents: 650 })).toMatchObject({ priceCents: 650 });
    expect((await testClient().client.catalog.get.query({ slug: single.slug })).variants.map((v) => v.priceCents)).toEqual([650]);
  });
});
