// Shapes shared by several views: ids, the pagination every list takes, and money totals.
import { TRPCError } from "@trpc/server";
import * as z from "zod";
import { decodeCursor, encodeCursor, type Cursor } from "../../domain/cursor";

export const Id = z.string().min(1).max(64);

/** An order_events id as subscriptions track it (tRPC's lastEventId is a string). */
export const EventId = z.string().regex(/^\d{1,15}$/);

/** A point in time: a Date over tRPC (superjson), an ISO 8601 string in UTC in the REST API's JSON. */
export const Timestamp = z.date().meta({ format: "date-time", description: "ISO 8601, UTC (REST); a Date over tRPC." });

export const PageInput = {
  cursor: z.string().max(512).optional(),
  limit: z.number().int().min(1).max(100).default(20),
};

/** The decoded cursor of a list input; BAD_REQUEST when it is not one we issued. */
export function parseCursor(text: string | undefined) {
  if (!text) return null;
  const cursor = decodeCursor(text);
  if (!cursor) throw new TRPCError({ code: "BAD_REQUEST", message: "This page cursor is not valid; start from the first page." });
  return cursor;
}

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The cursor of a list sorted newest first (orders, reviews, discounts). */
export const byCreation = (row: { id: string; createdAt: Date }): Cursor => ({ v: row.createdAt.getTime(), id: row.id });

/** One page from `limit + 1` rows (the extra row only tells that a next page exists). */
export function toPage<R>(rows: R[], limit: number, cursorOf: (row: R) => Cursor) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}

/** The money fields every priced thing (a cart, an order) shows. */
export const Totals = {
  currency: z.string(),
  subtotalCents: z.number().int(),
  discountCents: z.number().int(),
  shippingCents: z.number().int(),
  /** The lines' and shipping's tax; contained in the prices when `taxInclusive`, else part of the total. */
  taxCents: z.number().int(),
  taxInclusive: z.boolean(),
  /** The shipping option charged; null when none applies. */
  shippingOptionId: z.string().nullable(),
  totalCents: z.number().int(),
  discountCode: z.string().nullable(),
};

/** A shipping option as the customer chooses it: its price for this cart and how long it takes. */
export const ShippingQuoteView = z.object({
  id: z.string(),
  name: z.string(),
  priceCents: z.number().int(),
  estimatedDays: z.object({ min: z.number().int(), max: z.number().int() }),
});
