// GET /exports/orders.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: an admin downloads the orders of those UTC days.
import { Hono } from "hono";
import * as z from "zod";
import { createDb } from "../db/client";
import { describeError } from "../lib/log";
import { ordersCsv } from "../services/orders-export";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";
import { adminOnly } from "./middleware/admin-only";

const DAY_MS = 86_400_000;
const Range = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .refine((r) => r.from <= r.to, { message: "The range ends before it starts.", path: ["to"] });

export const exports = new Hono<AppEnv>().get("/orders.csv", adminOnly, (c) => {
  const range = Range.safeParse({ from: c.req.query("from"), to: c.req.query("to") });
  if (!range.success) return errorResponse(c, "BAD_REQUEST", "Give from and to as YYYY-MM-DD dates, from not after to.");
  const { from, to } = range.data;
  // `to` is inclusive: the whole of its UTC day.
  const window = { from: new Date(`${from}T00:00:00Z`), to: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) };
  const log = c.get("log");
  const body = ordersCsv(createDb(c.env.DB, c.get("metrics")), window, (error) => log.error("export.failed", describeError(error)));
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8; header=present",
    "content-disposition": `attachment; filename="orders-${from}-to-${to}.csv"`,
    "cache-control": "no-store",
  });
});
