// The orders export: pages of orders in a date range, oldest first, each page one query.
import { and, asc, eq, gt, gte, lt, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { orderLines, orders, payments, users } from "./schema";
import type { PaymentStatus } from "../domain/payments";

export interface ExportAfter {
  createdAt: Date;
  id: string;
}

export const exportPageQuery = (db: Db, range: { from: Date; to: Date }, after: ExportAfter | null, limit: number) =>
  db
    .select({
      id: orders.id,
      createdAt: orders.createdAt,
      status: orders.status,
      paymentStatus: sql<PaymentStatus | null>`(select ${payments.status} from ${payments} where ${payments.orderId} = ${orders.id} order by ${payments.createdAt} desc limit 1)`,
      email: users.email,
      currency: orders.currency,
      subtotalCents: orders.subtotalCents,
      discountCents: orders.discountCents,
      shippingCents: orders.shippingCents,
      totalCents: orders.totalCents,
      discountCode: orders.discountCode,
      shippingAddress: orders.shippingAddress,
      items: sql<
        string | null
      >`(select group_concat(${orderLines.quantity} || ' x ' || ${orderLines.name} || case when ${orderLines.variantLabel} <> '' then ' (' || ${orderLines.variantLabel} || ')' else '' end, '; ') from ${orderLines} where ${orderLines.orderId} = ${orders.id})`,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .where(
      and(
        gte(orders.createdAt, range.from),
        lt(orders.createdAt, range.to),
        after ? or(gt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), gt(orders.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(orders.createdAt), asc(orders.id))
    .limit(limit);

export type ExportRow = Awaited<ReturnType<typeof exportPageQuery>>[number];
