// Payment state: orders carry their payment's state, and an order ships only on a payment
// that succeeded, guarded in the UPDATE itself.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { transition } from "../db/order-transitions";
import { findOrderWithLines } from "../db/orders";
import { logger } from "../lib/log";
import { changeOrderStatus } from "../services/order-transitions";
import { refusalOf } from "./helpers/client";
import { placePaidOrder, signedUpAdmin } from "./helpers/shop";

const db = () => createDb(env.DB, newMetrics());

const paidOrder = () => placePaidOrder();

const setPayment = (orderId: string, status: string) =>
  env.DB.prepare("update payments set status = ?2 where order_id = ?1").bind(orderId, status).run();

describe("an order's payment state", () => {
  it("is succeeded after checkout, in the customer's and the admin's views alike", async () => {
    const { client, order } = await paidOrder();
    expect(order.payment).toEqual({ status: "succeeded" });
    expect((await client.orders.get.query({ id: order.id })).payment).toEqual({ status: "succeeded" });
    expect((await client.orders.list.query()).items[0]?.payment).toEqual({ status: "succeeded" });
    const admin = await signedUpAdmin();
    const listed = await admin.client.admin.orders.list.query({ status: "paid", limit: 100 });
    expect(listed.items.find((o) => o.id === order.id)?.payment).toEqual({ status: "succeeded" });
  });

  it.each(["refund_pending", "refunded", "refund_failed", "disputed"] as const)("shows %s as stored", async (status) => {
    const { client, order } = await paidOrder();
    await setPayment(order.id, status);
    expect((await client.orders.get.query({ id: order.id })).payment).toEqual({ status });
  });

  it("is pending while no payment exists yet, and null once it failed (nothing was charged)", async () => {
    const { client, order } = await paidOrder();
    await env.DB.prepare("delete from payments where order_id = ?1").bind(order.id).run();
    expect((await client.orders.get.query({ id: order.id })).payment).toEqual({ status: "pending" });
    await env.DB.prepare("insert into payments (id, order_id, provider, amount_cents, status) values (?1, ?2, 'test', 1, 'failed')")
      .bind(crypto.randomUUID(), order.id)
      .run();
    expect((await client.orders.get.query({ id: order.id })).payment).toBeNull();
  });

  it("lets admins list the orders whose refund failed", async () => {
    const { order } = await paidOrder();
    const { order: fine } = await paidOrder();
    await setPayment(order.id, "refund_failed");
    const admin = await signedUpAdmin();
    const failed = await admin.client.admin.orders.list.query({ paymentStatus: "refund_failed", limit: 100 });
    expect(failed.items.map((o) => o.id)).toContain(order.id);
    expect(failed.items.map((o) => o.id)).not.toContain(fine.id);
    expect(failed.items.every((o) => o.payment?.status === "refund_failed")).toBe(true);
  });
});

describe("shipping and the payment", () => {
  it.each(["refund_pending", "refunded", "refund_failed", "disputed", "pending"] as const)(
    "refuses to ship a paid order whose payment is %s, with reason payment_not_succeeded",
    async (status) => {
      const { order } = await paidOrder();
      await setPayment(order.id, status);
      const admin = await signedUpAdmin();
      expect(await refusalOf(admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" }))).toMatchObject({
        code: "PRECONDITION_FAILED",
        reason: "payment_not_succeeded",
      });
      const row = await env.DB.prepare("select status from orders where id = ?1").bind(order.id).first<{ status: string }>();
      expect(row?.status).toBe("paid");
    },
  );

  it("ships a paid order whose payment succeeded", async () => {
    const { order } = await paidOrder();
    const admin = await signedUpAdmin();
    expect(await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" })).toMatchObject({
      status: "shipped",
      payment: { status: "succeeded" },
    });
  });

  it("refuses in SQL when a dispute lands between the admin's read and the write", async () => {
    const { order } = await paidOrder();
    const read = await findOrderWithLines(db(), order.id);
    if (!read) throw new Error("order not found");
    expect(read.payment?.status).toBe("succeeded");
    await setPayment(order.id, "disputed");
    // The read still says succeeded, so only the UPDATE's own guard can stop it.
    expect(await transition(db(), read, "shipped", Date.now())).toEqual({ outcome: "payment_not_succeeded", outbox: [] });
    expect(
      await env.DB.prepare("select count(*) as n from outbox where order_id = ?1 and kind = 'order.shipped'").bind(order.id).first(),
    ).toEqual({ n: 0 });
    const deps = { db: db(), log: logger, now: Date.now, outbox: { send: async () => {} } };
    // The service refuses in the domain's words; the procedure builders give it its code.
    await expect(changeOrderStatus(deps, read, "shipped")).rejects.toMatchObject({ kind: "precondition", reason: "payment_not_succeeded" });
    const row = await env.DB.prepare("select status from orders where id = ?1").bind(order.id).first<{ status: string }>();
    expect(row?.status).toBe("paid");
  });
});
