// Scenario 9: checkout under concurrency. Phase A, throughput: signed-in users each add a product
// and place an order, round robin; stock conservation is checked in D1 afterwards. Phase B, the
// race: RACE_USERS shoppers, one product with RACE_STOCK units, all at once; exactly RACE_STOCK win.
import { login, ok, pool, trpc } from "../calls.ts";
import { CHECKOUT_USERS, CONNECTIONS, RACE_STOCK, log, measure } from "../harness.ts";
import { present } from "../present.ts";
import type { BenchScenario } from "../scenario.ts";

export const checkout: BenchScenario = {
  id: "9",
  run: async (ctx) => {
    const { rt, db, admin, benchUsers, tokens, products, hot, a, b, c, runId } = ctx;
    const poolA = benchUsers.slice(0, CHECKOUT_USERS);
    const poolB = benchUsers.slice(CHECKOUT_USERS);
    const missing = benchUsers.filter((u) => !tokens.has(u.email));
    log(`signing in ${missing.length} checkout users …`);
    await pool(missing, 2, async (u) => tokens.set(u.email, (await login(rt, u.email, u.password)).accessToken));

    // Phase A: throughput. 50 products with plenty of stock; each pass adds one and checks out.
    const stocked = products.filter((p) => p.id !== a.id && p.id !== b.id && p.id !== c.id && p.id !== hot.id).slice(0, 50);
    const BIG = 1_000_000;
    for (const p of stocked)
      await ok(
        trpc(rt, "admin.products.setStock", { productId: p.id, stock: BIG }, { token: admin.accessToken, mutation: true }),
        "setStock",
      );
    const s = await measure(
      rt,
      "9",
      "checkout: cart.addItem + checkout.placeOrder",
      {
        kind: "checkout",
        users: poolA.map((u) => ({ email: u.email, token: tokens.get(u.email) as string })),
        products: stocked.map((p) => p.id),
        runId,
        ipBase: 30,
      },
      { perUnit: 2 },
    );
    // The warm-up placed orders too; D1 is the ground truth for all of them.
    const ids = stocked.map((p) => p.id);
    const marks = ids.map((_, i) => `?${i + 1}`).join(",");
    const stockNow =
      (
        await db
          .prepare(`select sum(stock) as s from products where id in (${marks})`)
          .bind(...ids)
          .first<{ s: number }>()
      )?.s ?? 0;
    const paid = await db
      .prepare(
        "select count(distinct o.id) as orders, coalesce(sum(ol.quantity), 0) as units from orders o join order_lines ol on ol.order_id = o.id join users u on u.id = o.user_id where o.status = 'paid' and u.name like 'Bench A %'",
      )
      .first<{ orders: number; units: number }>();
    const negative = (await db.prepare("select count(*) as n from products where stock < 0").first<{ n: number }>())?.n ?? 0;
    const sold = BIG * ids.length - stockNow;
    const ordersPerSecond = (s.result.extra.orders as number) / s.result.seconds;

    // Phase B: the race. RACE_USERS shoppers, one product with RACE_STOCK units, all at once.
    const raceable = products.find((p) => !ids.includes(p.id) && p.id !== a.id && p.id !== hot.id && p.stock > 20);
    const contested = present(raceable, "a product to race for");
    await ok(
      trpc(rt, "admin.products.setStock", { productId: contested.id, stock: RACE_STOCK }, { token: admin.accessToken, mutation: true }),
      "setStock",
    );
    await pool(poolB, 8, (u) =>
      ok(
        trpc(rt, "cart.addItem", { productId: contested.id, quantity: 1 }, { token: tokens.get(u.email), mutation: true }),
        "race addItem",
      ),
    );
    const address = { name: "Racer", line1: "2 Race Road", city: "Springfield", region: "OR", postalCode: "12345", country: "US" };
    const race = await Promise.all(
      poolB.map((u, i) =>
        trpc(
          rt,
          "checkout.placeOrder",
          { idempotencyKey: `race-${runId}-${i}`, shippingAddress: address, paymentToken: "tok_visa" },
          { token: tokens.get(u.email), mutation: true },
        ),
      ),
    );
    const raceStatus: Record<string, number> = {};
    for (const r of race) {
      const reason =
        r.status === 200
          ? "200"
          : `${r.status}:${(r.body as { error?: { json?: { data?: { reason?: string } } } })?.error?.json?.data?.reason ?? "?"}`;
      raceStatus[reason] = (raceStatus[reason] ?? 0) + 1;
    }
    const raceWon = race.filter((r) => r.status === 200).length;
    const race5xx = race.filter((r) => r.status >= 500).length;
    const adminView = await ok<{ stock: number }>(
      trpc(rt, "admin.products.get", { id: contested.id }, { token: admin.accessToken }),
      "admin.products.get",
    );
    const soldContested =
      (
        await db
          .prepare(
            "select coalesce(sum(ol.quantity), 0) as n from order_lines ol join orders o on o.id = ol.order_id join users u on u.id = o.user_id where o.status = 'paid' and ol.product_id = ?1 and u.name like 'Bench B %'",
          )
          .bind(contested.id)
          .first<{ n: number }>()
      )?.n ?? 0;
    const result = {
      ordersPerSecond,
      ordersInWindow: s.result.extra.orders,
      placeOrderRefusals: s.result.extra.placeOrderRefusals,
      users: poolA.length,
      products: ids.length,
      d1: { paidOrders: paid?.orders, unitsInPaidOrders: paid?.units, stockDecrease: sold, productsWithNegativeStock: negative },
      conservation: sold === paid?.units && negative === 0,
      race: {
        users: poolB.length,
        stock: RACE_STOCK,
        won: raceWon,
        status: raceStatus,
        fiveHundreds: race5xx,
        stockAfter: adminView.stock,
        soldPerD1: soldContested,
      },
      noOversell: raceWon === RACE_STOCK && adminView.stock === 0 && soldContested === RACE_STOCK && sold === paid?.units && negative === 0,
      no5xx: s.result.n5xx === 0 && race5xx === 0,
    };
    ctx.checkout = result;
    s.notes = [
      `${ordersPerSecond.toFixed(0)} orders/s (${String(s.result.extra.orders)} orders in ${s.result.seconds.toFixed(1)} s, ${poolA.length} users, ${CONNECTIONS} connections; each order is 2 requests)`,
      `stock conservation over phase A (D1): stock decreased by ${sold}, paid order lines hold ${paid?.units} units, ${negative} products below 0`,
      `race: ${poolB.length} shoppers for ${RACE_STOCK} units: ${JSON.stringify(raceStatus)}; stock afterwards ${adminView.stock}; D1 says ${soldContested} sold`,
      `no oversell: ${result.noOversell ? "yes" : "NO"}; zero 5xx: ${result.no5xx ? "yes" : "NO"}`,
    ];
    for (const note of s.notes) log(note);
  },
};
