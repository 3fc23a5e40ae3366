// Statements compiled once per isolate: the same SQL and row mapping as Drizzle's builder, bound
// with each call's values, in one batch with one-off statements.
import { env } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../db/client";
import { compiled, once, runBatch } from "../db/compiled";
import { newMetrics } from "../db/metrics";
import { products } from "../db/schema";
import { createProduct } from "./helpers/shop";

const stockOf = compiled((db) =>
  db
    .select({ id: products.id, stock: products.stock, updatedAt: products.updatedAt })
    .from(products)
    .where(eq(products.id, sql.placeholder("id")))
    .prepare(),
);
const setStock = compiled((db) =>
  db
    .update(products)
    .set({ stock: sql`${sql.placeholder("stock")}` })
    .where(eq(products.id, sql.placeholder("id")))
    .prepare(),
);

describe("compiled statements", () => {
  it("bind each call's values and map rows as Drizzle does, in one round trip with one-off statements", async () => {
    const [a, b] = [await createProduct({ stock: 3 }), await createProduct({ stock: 5 })];
    const metrics = newMetrics();
    const db = createDb(env.DB, metrics);
    const [changed, rowA, rowB, plain] = await runBatch(db, [
      setStock(db, { id: a.id, stock: 7 }),
      stockOf(db, { id: a.id }),
      stockOf(db, { id: b.id }),
      once(db, db.select({ stock: products.stock }).from(products).where(eq(products.id, b.id)).prepare()),
    ]);
    expect(changed.meta.changes).toBe(1);
    expect(rowA).toEqual([{ id: a.id, stock: 7, updatedAt: null }]);
    expect(rowB).toEqual([{ id: b.id, stock: 5, updatedAt: null }]);
    expect(plain).toEqual([{ stock: 5 }]);
    expect(metrics.dbCalls).toBe(1);
  });

  it("refuse a call that leaves a placeholder without a value, before anything runs", async () => {
    const product = await createProduct({ stock: 3 });
    const db = createDb(env.DB, newMetrics());
    expect(() => setStock(db, { id: product.id })).toThrow(/placeholder/i);
    const [[row]] = await runBatch(db, [stockOf(db, { id: product.id })]);
    expect(row?.stock).toBe(3);
  });
});
