// GET /exports/orders.csv: admins only, a UTF-8 BOM, RFC 4180 quoting, read page by page from D1.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { CSV_HEADER, ordersCsv } from "../services/orders-export";
import { signedUpUser } from "./helpers/client";
import { ADDRESS, createProduct, createProductWithVariants, newKey, signedUpAdmin } from "./helpers/shop";

/** RFC 4180: fields separated by commas, rows by CRLF, quoted fields may hold both and "" for ". */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  expect(field === "" && row.length === 0, "the file ends with CRLF").toBe(true);
  return rows;
}

const today = new Date().toISOString().slice(0, 10);
const exportUrl = (from: string, to: string) => `http://storefront.test/exports/orders.csv?from=${from}&to=${to}`;
const get = (url: string, token?: string) => SELF.fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function order(name: string, city: string) {
  const product = await createProduct({ priceCents: 1234, stock: 10, name: `Mug, "large"` });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
  const placed = await shopper.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: { ...ADDRESS, name, city },
    paymentToken: "tok_visa",
  });
  return { ...shopper, order: placed };
}

describe("orders CSV export", () => {
  it("refuses anyone but an admin", async () => {
    const customer = await signedUpUser();
    expect((await get(exportUrl(today, today))).status).toBe(401);
    expect((await get(exportUrl(today, today), customer.session.tokens!.accessToken)).status).toBe(403);
    expect((await get(exportUrl(today, today), "not-a-token")).status).toBe(401);
  });

  it("refuses a range that is not two dates in order", async () => {
    const admin = await signedUpAdmin();
    const token = admin.session.tokens!.accessToken;
    for (const url of [exportUrl("2026-02-01", "2026-01-01"), exportUrl("yesterday", today), "http://storefront.test/exports/orders.csv"]) {
      expect((await get(url, token)).status, url).toBe(400);
    }
  });

  it("streams the range's orders with a BOM, quoted fields, decimal amounts and formulas defused", async () => {
    const admin = await signedUpAdmin();
    const a = await order('Zoë "Z" O\'Neil, Jr.', '=HYPERLINK("http://x")');
    const b = await order("Line\nBreak", "Köln");
    const response = await get(exportUrl(today, today), admin.session.tokens!.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="orders-${today}-to-${today}.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(CSV_HEADER.map((h, i) => [h, r[i]]))]));
    expect(byId.get(a.order.id)).toMatchObject({
      status: "paid",
      payment_status: "succeeded",
      customer_email: a.email,
      ship_to_name: 'Zoë "Z" O\'Neil, Jr.',
      ship_to_city: '\'=HYPERLINK("http://x")',
      items: `2 x Mug, "large"`,
      subtotal: "24.68",
      total: (a.order.totalCents / 100).toFixed(2),
      currency: "USD",
    });
    expect(byId.get(b.order.id)).toMatchObject({ ship_to_name: "Line\nBreak", ship_to_city: "Köln" });
    expect(rows.slice(1).every((r) => r.length === CSV_HEADER.length)).toBe(true);
  });

  it("names each line's variant", async () => {
    const admin = await signedUpAdmin();
    const shirt = await createProductWithVariants();
    const [, , , mBlue] = shirt.variants;
    if (!mBlue) throw new Error("variants");
    const shopper = await signedUpUser();
    await shopper.client.cart.addItem.mutate({ productId: shirt.id, variantId: mBlue.id, quantity: 2 });
    const placed = await shopper.client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: ADDRESS,
      paymentToken: "tok_visa",
    });
    const response = await get(exportUrl(today, today), admin.session.tokens!.accessToken);
    const rows = parseCsv(new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()).slice(3)));
    const row = rows.find((r) => r[0] === placed.id);
    expect(row?.[CSV_HEADER.indexOf("items")]).toBe(`2 x ${shirt.name} (M / Blue)`);
  });

  it("leaves out orders outside the range", async () => {
    const admin = await signedUpAdmin();
    const response = await get(exportUrl("2001-01-01", "2001-01-31"), admin.session.tokens!.accessToken);
    expect(parseCsv((await response.text()).replace(/^\uFEFF/, ""))).toEqual([[...CSV_HEADER]]);
  });

  it("reads one page per pull, in created order, without skipping or repeating an order", async () => {
    for (let i = 0; i < 5; i++) await order(`Pager ${i}`, "Paris");
    const metrics = newMetrics();
    const range = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) };
    const text = await new Response(ordersCsv(createDb(env.DB, metrics), range, () => {}, 2)).text();
    const ids = parseCsv(text.replace(/^\uFEFF/, ""))
      .slice(1)
      .map((r) => r[0]);
    const expected = await env.DB.prepare("select id from orders where created_at >= ?1 and created_at < ?2 order by created_at, id")
      .bind(range.from.getTime(), range.to.getTime())
      .all<{ id: string }>();
    expect(ids).toEqual(expected.results.map((r) => r.id));
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(metrics.dbCalls).toBe(Math.floor(ids.length / 2) + 1);
  });
});
