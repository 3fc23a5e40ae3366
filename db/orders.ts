// Orders: the checkout's reservation and settlement batches, and reading one order with its lines.
// Invariants live in the schema: stock >= 0 and redemptions <= max are CHECK constraints, so a
// reservation batch that would oversell or over-redeem fails whole, however requests race.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { compiled, runBatch, type Bound } from "./compiled";
import { cartReads, toCartRows } from "./carts";
import { countCoPurchasesBound } from "./co-purchases";
import { insertOutboxWhere, newOutboxEntry, type OutboxEntry } from "./outbox";
import { historyEntryWhere } from "./order-history";
import {
  cartLines,
  carts,
  discountRedemptions,
  discounts,
  idempotencyKeys,
  orderEvents,
  orderLines,
  orders,
  payments,
  products,
  productVariants,
  type Order,
  type Payment,
} from "./schema";

export interface ReservationLine {
  productId: string;
  variantId: string;
  name: string;
  /** Snapshots for receipts: "M / Blue" ("" for a default variant) and the SKU. */
  variantLabel: string;
  sku: string;
  unitPriceCents: number;
  quantity: number;
  taxCents: number;
}

export interface Reservation {
  orderId: string;
  userId: string;
  idempotencyKey: string;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  shippingTaxCents: number;
  taxInclusive: boolean;
  shippingOptionId: string | null;
  totalCents: number;
  discount: { id: string; code: string; onePerCustomer: boolean } | null;
  shippingAddress: unknown;
  lines: ReservationLine[];
  createdAt: number;
  /** SHA-256 of the canonical request, stored with the key (domain/checkout-fingerprint.ts). */
  fingerprint: string;
}

const p = sql.placeholder;

const insertPlacedEvent = compiled((db) =>
  db
    .insert(orderEvents)
    .values({ id: p("id"), orderId: p("orderId"), fromStatus: null, toStatus: "pending", actorId: p("actorId"), createdAt: p("createdAt") })
    .prepare(),
);

const insertPaidHistory = compiled((db) =>
  historyEntryWhere(db, { id: p("id"), orderId: p("orderId"), to: "paid", actorId: null }, p("at"), eq(orders.status, "pending")).prepare(),
);

const deleteHistory = compiled((db) =>
  db
    .delete(orderEvents)
    .where(eq(orderEvents.orderId, p("orderId")))
    .prepare(),
);

const insertKey = compiled((db) =>
  db
    .insert(idempotencyKeys)
    .values({ userId: p("userId"), key: p("key"), orderId: p("orderId"), fingerprint: p("fingerprint"), createdAt: p("createdAt") })
    .prepare(),
);

const insertPendingOrder = compiled((db) =>
  db
    .insert(orders)
    .values({
      id: p("orderId"),
      userId: p("userId"),
      status: "pending",
      currency: p("currency"),
      subtotalCents: p("subtotalCents"),
      discountCents: p("discountCents"),
      shippingCents: p("shippingCents"),
      taxCents: p("taxCents"),
      shippingTaxCents: p("shippingTaxCents"),
      taxInclusive: p("taxInclusive"),
      shippingOptionId: p("shippingOptionId"),
      totalCents: p("totalCents"),
      discountCode: p("discountCode"),
      shippingAddress: p("shippingAddress"),
      createdAt: p("createdAt"),
    })
    .prepare(),
);

const insertLine = compiled((db) =>
  db
    .insert(orderLines)
    .values({
      orderId: p("orderId"),
      productId: p("productId"),
      variantId: p("variantId"),
      name: p("name"),
      variantLabel: p("variantLabel"),
      sku: p("sku"),
      unitPriceCents: p("unitPriceCents"),
      quantity: p("quantity"),
      taxCents: p("taxCents"),
    })
    .prepare(),
);

// Guarded twice: only active variants of active products, and the CHECK (stock >= 0) on the
// variant refuses an oversell. Triggers carry the change to the product's summary stock.
const takeStock = compiled((db) =>
  db
    .update(productVariants)
    .set({ stock: sql`${productVariants.stock} - ${p("quantity")}` })
    .where(
      and(
        eq(productVariants.id, p("variantId")),
        eq(productVariants.status, "active"),
        sql`${productVariants.productId} in ${db
          .select({ id: products.id })
          .from(products)
          .where(and(eq(products.id, p("productId")), eq(products.status, "active")))}`,
      ),
    )
    .prepare(),
);

// The CHECK (redemptions <= max) refuses a redemption past the maximum.
const redeemDiscount = compiled((db) =>
  db
    .update(discounts)
    .set({ redemptions: sql`${discounts.redemptions} + 1` })
    .where(eq(discounts.id, p("discountId")))
    .prepare(),
);

// The partial unique index refuses a second use of a one-per-customer code.
const insertRedemption = compiled((db) =>
  db
    .insert(discountRedemptions)
    .values({
      id: p("id"),
      discountId: p("discountId"),
      userId: p("userId"),
      orderId: p("orderId"),
      onePerCustomer: p("onePerCustomer"),
      createdAt: p("createdAt"),
    })
    .prepare(),
);

/** One atomic batch: idempotency key, pending order, lines, stock, discount redemption. */
function reserveStatements(db: Db, r: Reservation): Bound<unknown>[] {
  const createdAt = new Date(r.createdAt);
  const statements: Bound<unknown>[] = [
    insertKey(db, { userId: r.userId, key: r.idempotencyKey, orderId: r.orderId, fingerprint: r.fingerprint, createdAt }),
    insertPendingOrder(db, { ...r, discountCode: r.discount?.code ?? null, createdAt }),
    insertPlacedEvent(db, { id: crypto.randomUUID(), orderId: r.orderId, actorId: r.userId, createdAt }),
  ];
  for (const line of r.lines) {
    statements.push(
      insertLine(db, { orderId: r.orderId, ...line }),
      takeStock(db, { productId: line.productId, variantId: line.variantId, quantity: line.quantity }),
    );
  }
  if (r.discount) {
    statements.push(
      redeemDiscount(db, { discountId: r.discount.id }),
      insertRedemption(db, {
        id: crypto.randomUUID(),
        discountId: r.discount.id,
        userId: r.userId,
        orderId: r.orderId,
        onePerCustomer: r.discount.onePerCustomer,
        createdAt,
      }),
    );
  }
  return statements;
}

const markPaid = compiled((db) =>
  db
    .update(orders)
    .set({ status: "paid", updatedAt: sql`${p("paidAt")}` })
    .where(and(eq(orders.id, p("orderId")), eq(orders.status, "pending")))
    .prepare(),
);

// The customer is to be told: an outbox row under the move's own guard (the order still pending).
const insertPaidEvent = compiled((db) =>
  insertOutboxWhere(db, { id: p("id"), kind: "order.paid", orderId: p("orderId") }, p("at"), eq(orders.status, "pending")).prepare(),
);

const insertPayment = compiled((db) =>
  db
    .insert(payments)
    .values({
      id: p("id"),
      orderId: p("orderId"),
      provider: p("provider"),
      providerRef: p("providerRef"),
      amountCents: p("amountCents"),
      status: "succeeded",
      createdAt: p("paidAt"),
    })
    .prepare(),
);

const emptyCart = compiled((db) =>
  db
    .delete(cartLines)
    .where(eq(cartLines.userId, p("userId")))
    .prepare(),
);
const clearCartCode = compiled((db) =>
  db
    .update(carts)
    .set({ discountCode: null })
    .where(eq(carts.userId, p("userId")))
    .prepare(),
);

/** Payment taken: the order is paid, the payment recorded, the cart emptied, the customer to be told. */
function settlePaidStatements(db: Db, r: Reservation, payment: Payment, paid: OutboxEntry) {
  return [
    insertPaidEvent(db, { id: paid.id, orderId: r.orderId, at: payment.createdAt.getTime() }),
    insertPaidHistory(db, { id: crypto.randomUUID(), orderId: r.orderId, at: payment.createdAt.getTime() }),
    // `paidAt` in epoch milliseconds: a placeholder inside `sql` skips the column's encoder.
    markPaid(db, { orderId: r.orderId, paidAt: payment.createdAt.getTime() }),
    insertPayment(db, {
      id: payment.id,
      orderId: r.orderId,
      provider: payment.provider,
      providerRef: payment.providerRef,
      paidAt: payment.createdAt,
      amountCents: payment.amountCents,
    }),
    emptyCart(db, { userId: r.userId }),
    clearCartCode(db, { userId: r.userId }),
    countCoPurchasesBound(db, r.orderId, payment.createdAt.getTime()),
  ] as const;
}

const returnStock = compiled((db) =>
  db
    .update(productVariants)
    .set({ stock: sql`${productVariants.stock} + ${p("quantity")}` })
    .where(eq(productVariants.id, p("variantId")))
    .prepare(),
);
const deleteRedemption = compiled((db) =>
  db
    .delete(discountRedemptions)
    .where(eq(discountRedemptions.orderId, p("orderId")))
    .prepare(),
);
const unredeemDiscount = compiled((db) =>
  db
    .update(discounts)
    .set({ redemptions: sql`${discounts.redemptions} - 1` })
    .where(eq(discounts.id, p("discountId")))
    .prepare(),
);
const deleteLines = compiled((db) =>
  db
    .delete(orderLines)
    .where(eq(orderLines.orderId, p("orderId")))
    .prepare(),
);
const deleteOrder = compiled((db) =>
  db
    .delete(orders)
    .where(eq(orders.id, p("orderId")))
    .prepare(),
);
const deleteKey = compiled((db) =>
  db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, p("userId")), eq(idempotencyKeys.key, p("key"))))
    .prepare(),
);

/** Payment failed: everything the reservation did is undone, so no order remains. */
function releaseStatements(db: Db, r: Reservation): Bound<unknown>[] {
  const unredeem = r.discount ? [deleteRedemption(db, { orderId: r.orderId }), unredeemDiscount(db, { discountId: r.discount.id })] : [];
  return [
    deleteLines(db, { orderId: r.orderId }),
    deleteHistory(db, { orderId: r.orderId }),
    deleteOrder(db, { orderId: r.orderId }),
    deleteKey(db, { userId: r.userId, key: r.idempotencyKey }),
    ...r.lines.map((l) => returnStock(db, { variantId: l.variantId, quantity: l.quantity })),
    ...unredeem,
  ];
}

const idempotentOrderCompiled = compiled((db) =>
  db
    .select({ orderId: idempotencyKeys.orderId, fingerprint: idempotencyKeys.fingerprint })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, sql.placeholder("userId")), eq(idempotencyKeys.key, sql.placeholder("key"))))
    .prepare(),
);
const idempotentOrderQuery = (db: Db, userId: string, key: string) => idempotentOrderCompiled(db, { userId, key });

/** An order, its lines and its payment (the latest, if any), in one round trip. */
export async function findOrderWithLines(db: Db, id: string): Promise<OrderWithLines | undefined> {
  const [[order], lines, [payment]] = await db.batch([
    db.select().from(orders).where(eq(orders.id, id)),
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(orderLines.productId, orderLines.variantId),
    db.select().from(payments).where(eq(payments.orderId, id)).orderBy(desc(payments.createdAt), desc(payments.id)).limit(1),
  ]);
  return order ? { ...order, lines, payment: payment ?? null } : undefined;
}

/** An order as its readers see it: the row, its lines and its payment (null before there is one). */
export type OrderWithLines = Order & { lines: (typeof orderLines.$inferSelect)[]; payment: Payment | null };
export type OrderAndLines = OrderWithLines;

/** The order an idempotency key already made (if any) and the user's cart priced for the address's country, in one round trip. */
export async function readCheckoutStart(db: Db, userId: string, idempotencyKey: string, country: string) {
  const [[previous], lines, discount, options, rates] = await runBatch(db, [
    idempotentOrderQuery(db, userId, idempotencyKey),
    ...cartReads(db, userId, country),
  ]);
  return { previous: previous ?? null, cart: toCartRows(lines, discount, options, rates) };
}

/** The order a key made and the fingerprint of the request that made it. */
export type IdempotentOrder = { orderId: string; fingerprint: string | null };

export async function findIdempotentOrder(db: Db, userId: string, idempotencyKey: string): Promise<IdempotentOrder | null> {
  const [[row]] = await runBatch(db, [idempotentOrderQuery(db, userId, idempotencyKey)]);
  return row ?? null;
}

/** Reserves stock, the discount and the key for a pending order; throws the constraint that refused it. */
export async function reserve(db: Db, r: Reservation): Promise<void> {
  await runBatch(db, reserveStatements(db, r));
}

/** Records the succeeded payment and marks the order paid; returns the payment row and the event written. */
export async function settlePaid(
  db: Db,
  r: Reservation,
  charge: { provider: string; providerRef: string; paidAt: number },
): Promise<{ payment: Payment; outbox: OutboxEntry[] }> {
  const paid = newOutboxEntry("order.paid", r.orderId);
  const payment: Payment = {
    id: crypto.randomUUID(),
    orderId: r.orderId,
    provider: charge.provider,
    providerRef: charge.providerRef,
    amountCents: r.totalCents,
    status: "succeeded",
    createdAt: new Date(charge.paidAt),
    updatedAt: null,
  };
  await runBatch(db, settlePaidStatements(db, r, payment, paid));
  return { payment, outbox: [paid] };
}

/**
 * The customer must act (3-D Secure): the order stays pending and keeps its stock, the payment is
 * recorded pending under the provider's reference (the webhook settles or releases it), and the
 * cart is emptied, since the order now holds its lines.
 */
export async function awaitCustomerAction(
  db: Db,
  r: Reservation,
  charge: { provider: string; providerRef: string; at: number },
): Promise<Payment> {
  const payment: Payment = {
    id: crypto.randomUUID(),
    orderId: r.orderId,
    provider: charge.provider,
    providerRef: charge.providerRef,
    amountCents: r.totalCents,
    status: "pending",
    createdAt: new Date(charge.at),
    updatedAt: null,
  };
  await db.batch([
    db.insert(payments).values(payment),
    db.delete(cartLines).where(eq(cartLines.userId, r.userId)),
    db.update(carts).set({ discountCode: null }).where(eq(carts.userId, r.userId)),
  ]);
  return payment;
}

export async function release(db: Db, r: Reservation): Promise<void> {
  await runBatch(db, releaseStatements(db, r));
}
