import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { errorCode, signedUpUser, testClient } from "./helpers/client";
import { ADDRESS, createCategory, createProduct, newKey, signedUpAdmin } from "./helpers/shop";

describe("catalog.get", () => {
  it("returns a product with price, stock status and rating", async () => {
    const product = await createProduct({ priceCents: 2599, stock: 3 });
    const view = await testClient().client.catalog.get.query({ slug: product.slug });
    expect(view).toMatchObject({ id: product.id, priceCents: 2599, currency: "USD", stockStatus: "low", rating: { average: 0, count: 0 } });
    expect(view.createdAt).toBeInstanceOf(Date);
  });

  it("is NOT_FOUND for a missing or archived product", async () => {
    const archived = await createProduct({ status: "archived" });
    const { client } = testClient();
    expect(await errorCode(client.catalog.get.query({ slug: "no-such-product" }))).toBe("NOT_FOUND");
    expect(await errorCode(client.catalog.get.query({ slug: archived.slug }))).toBe("NOT_FOUND");
  });

  it("shows an admin's edit on the very next read (cache invalidation)", async () => {
    const product = await createProduct({ priceCents: 1000 });
    const { client } = testClient();
    expect((await client.catalog.get.query({ slug: product.slug })).priceCents).toBe(1000);
    expect((await client.catalog.get.query({ slug: product.slug })).priceCents).toBe(1000); // now cached
    const admin = await signedUpAdmin();
    await admin.client.admin.products.update.mutate({ id: product.id, priceCents: 1500 });
    expect((await client.catalog.get.query({ slug: product.slug })).priceCents).toBe(1500);
    await admin.client.admin.products.setStock.mutate({ productId: product.id, stock: 0 });
    expect((await client.catalog.get.query({ slug: product.slug })).stockStatus).toBe("out");
    await admin.client.admin.products.archive.mutate({ id: product.id });
    expect(await errorCode(client.catalog.get.query({ slug: product.slug }))).toBe("NOT_FOUND");
  });
});

describe("catalog.list", () => {
  it("pages through a category by keyset cursor without gaps or repeats", async () => {
    const category = await createCategory();
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await createProduct({ categoryId: category.id, createdAt: 1_700_000_000_000 + i * 1000 })).id);
    await createProduct({ categoryId: category.id, status: "archived" });
    const { client } = testClient();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.catalog.list.query({ category: category.slug, limit: 3, cursor });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("sorts by price both ways and by rating", async () => {
    const category = await createCategory();
    for (const price of [300, 100, 200]) await createProduct({ categoryId: category.id, priceCents: price });
    const { client } = testClient();
    const asc = await client.catalog.list.query({ category: category.slug, sort: "price_asc" });
    expect(asc.items.map((p) => p.priceCents)).toEqual([100, 200, 300]);
    const desc = await client.catalog.list.query({ category: category.slug, sort: "price_desc", limit: 2 });
    expect(desc.items.map((p) => p.priceCents)).toEqual([300, 200]);
    const rest = await client.catalog.list.query({ category: category.slug, sort: "price_desc", limit: 2, cursor: desc.nextCursor! });
    expect(rest.items.map((p) => p.priceCents)).toEqual([100]);
    expect((await client.catalog.list.query({ category: category.slug, sort: "rating" })).items).toHaveLength(3);
  });

  it("searches name and description case-insensitively (more in search.test.ts)", async () => {
    const category = await createCategory();
    const lamp = await createProduct({ categoryId: category.id, name: "Brass Zeppelin Lamp" });
    const mug = await createProduct({ categoryId: category.id, name: "Mug", description: "Holds zeppelin-grade coffee" });
    await createProduct({ categoryId: category.id, name: "Plain 100% Chair" });
    const { client } = testClient();
    const found = await client.catalog.list.query({ category: category.slug, q: "ZEPPELIN" });
    expect(found.items.map((p) => p.id)).toEqual([lamp.id, mug.id]);
    expect((await client.catalog.list.query({ category: category.slug, q: "100%" })).items.map((p) => p.name)).toEqual([
      "Plain 100% Chair",
    ]);
    expect((await client.catalog.list.query({ category: category.slug, q: "%" })).items).toEqual([]);
  });

  it("refuses a forged cursor with BAD_REQUEST", async () => {
    expect(await errorCode(testClient().client.catalog.list.query({ cursor: "garbage!" }))).toBe("BAD_REQUEST");
  });
});

describe("catalog.categories", () => {
  it("lists categories", async () => {
    const category = await createCategory("Zebra Things");
    const admin = await signedUpAdmin();
    await admin.client.admin.products.create.mutate({
      slug: `x-${crypto.randomUUID().slice(0, 6)}`,
      name: "X",
      category: category.slug,
      priceCents: 100,
    });
    const all = await testClient().client.catalog.categories.query();
    expect(all).toContainEqual({ id: category.id, slug: category.slug, name: "Zebra Things" });
  });
});

describe("catalog.recommendations", () => {
  it("ranks products bought together first, then tops up with the best-rated of the category", async () => {
    const category = await createCategory();
    const [target, partner, other, unrelated] = await Promise.all([
      createProduct({ categoryId: category.id }),
      createProduct(),
      createProduct({ categoryId: category.id }),
      createProduct(),
    ]);
    // Bought together through the real checkout: paying for an order counts its pairs.
    for (let i = 0; i < 2; i++) {
      const buyer = await signedUpUser();
      await buyer.client.cart.addItem.mutate({ productId: target.id, quantity: 1 });
      await buyer.client.cart.addItem.mutate({ productId: partner.id, quantity: 1 });
      await buyer.client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    }
    const pairs = await env.DB.prepare("select together from co_purchases where product_id = ?1 and other_id = ?2")
      .bind(target.id, partner.id)
      .first<{ together: number }>();
    expect(pairs?.together).toBe(2);
    const recs = await testClient().client.catalog.recommendations.query({ productId: target.id });
    expect(recs[0]?.id).toBe(partner.id);
    expect(recs.map((r) => r.id)).toContain(other.id);
    expect(recs.map((r) => r.id)).not.toContain(unrelated.id);
    expect(recs.map((r) => r.id)).not.toContain(target.id);
    // Each recommendation is the product itself, field for field, as its own page shows it (which
    // adds the options and variants).
    for (const rec of recs.slice(0, 2)) {
      const { options, variants, ...page } = await testClient().client.catalog.get.query({ slug: rec.slug });
      expect(page).toEqual(rec);
      expect(options).toEqual([]);
      expect(variants).toHaveLength(1);
    }
  });
});
