// The orders export: a CSV stream that reads D1 one page at a time as the client downloads it.
import * as z from "zod";
import { csvRow, decimalAmount, UTF8_BOM } from "../domain/csv";
import type { Db } from "../db/client";
import { exportPageQuery, type ExportAfter, type ExportRow } from "../db/exports";

export const EXPORT_PAGE_SIZE = 200;

export const CSV_HEADER = [
  "order_id",
  "created_at",
  "status",
  "payment_status",
  "customer_email",
  "ship_to_name",
  "ship_to_city",
  "ship_to_country",
  "items",
  "currency",
  "subtotal",
  "discount",
  "shipping",
  "total",
  "discount_code",
] as const;

// Addresses were validated when the order was placed; read only what the export shows.
const Address = z.object({ name: z.string(), city: z.string(), country: z.string() }).partial();

const toRow = (r: ExportRow) => {
  const address = Address.safeParse(r.shippingAddress);
  const a = address.success ? address.data : {};
  return csvRow([
    r.id,
    r.createdAt.toISOString(),
    r.status,
    r.paymentStatus,
    r.email,
    a.name,
    a.city,
    a.country,
    r.items,
    r.currency,
    decimalAmount(r.subtotalCents),
    decimalAmount(r.discountCents),
    decimalAmount(r.shippingCents),
    decimalAmount(r.totalCents),
    r.discountCode,
  ]);
};

/**
 * Orders created in [from, to), oldest first, as CSV (with a UTF-8 BOM: domain/csv.ts says why).
 * Each pull reads the next keyset page, so memory holds one page whatever the range, and a client
 * that stops reading stops the queries. A failure mid-way errors the stream: the download ends
 * short instead of pretending to be whole, and `onError` logs it.
 */
export function ordersCsv(db: Db, range: { from: Date; to: Date }, onError: (error: unknown) => void, pageSize = EXPORT_PAGE_SIZE) {
  const encoder = new TextEncoder();
  let after: ExportAfter | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(UTF8_BOM + csvRow(CSV_HEADER)));
          return;
        }
        try {
          const rows = await exportPageQuery(db, range, after, pageSize).all();
          if (rows.length > 0) controller.enqueue(encoder.encode(rows.map(toRow).join("")));
          const last = rows.at(-1);
          if (rows.length < pageSize || !last) controller.close();
          else after = { createdAt: last.createdAt, id: last.id };
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
    },
    { highWaterMark: 0 },
  );
}
