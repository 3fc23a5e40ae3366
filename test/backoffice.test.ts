// The back office's procedures: products list/restore, orders filtered, searched and opened with
// their history, customers found by email with their orders.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { errorCode, signedUpUser } from "./helpers/client";
import { ADDRESS, createCategory, createProduct, newKey, signedUpAdmin } from "./helpers/shop";

async function paidOrder(quantity = 1) {
  const product = await createProduct({ stock: 20, priceCents: 1500 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity });
  const order = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken: "tok_visa",
  });
  return { ...shopper, product, order };
}

describe("admin.products", () => {
  it("lists archived products too, finds them by a name fragment, and restores them to the catalog", async () => {
    const admin = await signedUpAdmin();
    const category = await createCategory();
    const tag = crypto.randomUUID().slice(0, 6);
    const product = await createProduct({ categoryId: category.id, name: `Copper ${tag} 100%_kettle` });
    await admin.client.admin.products.archive.mutate({ id: product.id });
    expect(await errorCode(admin.client.catalog.get.query({ slug: product.slug }))).toBe("NOT_FOUND");

    const found = await admin.client.admin.products.list.query({ q: `${tag} 100%_k` });
    expect(found.items.map((p) => [p.id, p.status, p.category])).toEqual([[product.id, "archived", category.slug]]);
    // % and _ are literal characters in the search, not LIKE wildcards.
    expect((await admin.client.admin.products.list.query({ q: `${tag} 1%k` })).items).toEqual([]);
    expect((await admin.client.admin.products.list.query({ q: tag, status: "active" })).items).toEqual([]);

    expect((await admin.client.admin.products.restore.mutate({ id: product.id })).status).toBe("active");
    expect((await admin.client.catalog.get.query({ slug: product.slug })).id).toBe(product.id);
  });

  it("finds a product by a fragment as long as the search box takes, in any script (never a 5xx)", async () => {
    const admin = await signedUpAdmin();
    const tag = crypto.randomUUID().slice(0, 6);
    // 100 characters, 200 bytes in UTF-8: past D1's 50-byte limit on a LIKE pattern.
    const long = `${tag} ${"é".repeat(93)}`;
    const product = await createProduct({ name: `Kettle ${long} edition` });
    expect((await admin.client.admin.products.list.query({ q: long })).items.map((p) => p.id)).toEqual([product.id]);
    expect((await admin.client.admin.products.list.query({ q: "%".repeat(100) })).items).toEqual([]);
  });

  it("pages through every product newest first", async () => {
    const admin = await signedUpAdmin();
    const category = await createCategory();
    const tag = crypto.randomUUID().slice(0, 6);
    const made = [];
    for (let i = 0; i < 3; i++)
      made.push(await createProduct({ categoryId: category.id, name: `Paged ${tag} ${i}`, createdAt: Date.now() + i }));
    const first = await admin.client.admin.products.list.query({ q: `Paged ${tag}`, limit: 2 });
    const second = await admin.client.admin.products.list.query({ q: `Paged ${tag}`, limit: 2, cursor: first.nextCursor ?? "" });
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(made.map((p) => p.id).reverse());
    expect(second.nextCursor).toBeNull();
  });
});

describe("admin.orders", () => {
  it("filters by status and by payment state, and searches by order id or customer email", async () => {
    const admin = await signedUpAdmin();
    const a = await paidOrder();
    const b = await paidOrder();
    await b.client.orders.cancel.mutate({ id: b.order.id });

    const byEmail = await admin.client.admin.orders.list.query({ search: a.email.toUpperCase() });
    expect(byEmail.items.map((o) => o.id)).toEqual([a.order.id]);
    expect(byEmail.items[0]).toMatchObject({ customer: { id: a.user.id, email: a.email }, payment: { status: "succeeded" } });
    // The first characters of an id or an email are enough.
    expect((await admin.client.admin.orders.list.query({ search: a.order.id.slice(0, 8) })).items.map((o) => o.id)).toEqual([a.order.id]);
    expect(
      (await admin.client.admin.orders.list.query({ search: a.email.slice(0, a.email.indexOf("@") + 1) })).items.map((o) => o.id),
    ).toEqual([a.order.id]);

    const cancelled = await admin.client.admin.orders.list.query({ status: "cancelled", search: b.email });
    expect(cancelled.items.map((o) => o.id)).toEqual([b.order.id]);
    expect((await admin.client.admin.orders.list.query({ status: "paid", search: b.email })).items).toEqual([]);

    // The refund runs through the queue: refund_pending until the provider confirms it.
    const refundState = (await admin.client.admin.orders.get.query({ id: b.order.id })).payment?.status;
    expect(["refund_pending", "refunded"]).toContain(refundState);
    const refunding = await admin.client.admin.orders.list.query({ paymentStatus: refundState, limit: 100 });
    expect(refunding.items.map((o) => o.id)).toContain(b.order.id);
    expect(refunding.items.map((o) => o.id)).not.toContain(a.order.id);
    const succeeded = await admin.client.admin.orders.list.query({ paymentStatus: "succeeded", search: a.email });
    expect(succeeded.items.map((o) => o.id)).toEqual([a.order.id]);

    expect((await admin.client.admin.orders.list.query({ userId: a.user.id })).items.map((o) => o.id)).toEqual([a.order.id]);
  });

  it("opens one order with its lines, address, payments and the history of its states", async () => {
    const admin = await signedUpAdmin();
    const { order, user, product } = await paidOrder(2);
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" });

    const detail = await admin.client.admin.orders.get.query({ id: order.id });
    expect(detail.lines).toEqual([
      {
        productId: product.id,
        variantId: product.id,
        name: product.name,
        variantLabel: "",
        sku: product.slug,
        unitPriceCents: 1500,
        quantity: 2,
        taxCents: 0,
      },
    ]);
    expect(detail.shippingAddress).toMatchObject(ADDRESS);
    expect(detail.customer.id).toBe(user.id);
    expect(detail.payments).toMatchObject([{ status: "succeeded", amountCents: order.totalCents }]);
    expect(detail.history.map((h) => [h.from, h.to, h.actor?.id ?? null])).toEqual([
      [null, "pending", user.id],
      ["pending", "paid", null],
      ["paid", "shipped", admin.user.id],
      ["shipped", "delivered", admin.user.id],
    ]);
    expect(await errorCode(admin.client.admin.orders.get.query({ id: "no-such-order" }))).toBe("NOT_FOUND");
  });

  it("records a refused change nowhere", async () => {
    const admin = await signedUpAdmin();
    const { order } = await paidOrder();
    expect(await errorCode(admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" }))).toBe("PRECONDITION_FAILED");
    const rows = await env.DB.prepare("select to_status from order_events where order_id = ?1 order by created_at").bind(order.id).all();
    expect(rows.results.map((r) => r.to_status)).toEqual(["pending", "paid"]);
  });
});

describe("admin.users", () => {
  it("finds customers by the start of their email and shows their orders", async () => {
    const admin = await signedUpAdmin();
    const { email, user, order } = await paidOrder();
    const found = await admin.client.admin.users.find.query({ email: ` ${email.slice(0, 12).toUpperCase()} ` });
    expect(found.map((u) => u.id)).toEqual([user.id]);
    expect(found[0]).toMatchObject({ id: user.id, email, name: "Test User", role: "customer" });
    expect(found[0]?.createdAt).toBeInstanceOf(Date);
    expect(await admin.client.admin.users.get.query({ id: user.id })).toMatchObject({ email });
    expect((await admin.client.admin.orders.list.query({ userId: user.id })).items.map((o) => o.id)).toEqual([order.id]);
  });

  it("promotes and demotes another user", async () => {
    const admin = await signedUpAdmin();
    const other = await signedUpUser();
    await admin.client.admin.users.setRole.mutate({ userId: other.user.id, role: "admin" });
    expect((await other.client.auth.me.query()).role).toBe("admin");
    await admin.client.admin.users.setRole.mutate({ userId: other.user.id, role: "customer" });
    expect(await errorCode(other.client.admin.orders.list.query())).toBe("FORBIDDEN");
  });
});
