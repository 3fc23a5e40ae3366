// POST /webhooks/payments: the payment provider's events in Stripe's format, verified by their
// `Stripe-Signature` (Stripe's scheme and 300 s tolerance, for the test provider too), each
// applied once. Events the shop does not act on are acknowledged, so Stripe stops resending them.
import { Hono, type Context } from "hono";
import { createDb } from "../db/client";
import { readConfig } from "../lib/config";
import { orderFeeds } from "../services/order-updates";
import { cloudflareOutboxQueue } from "../services/outbox";
import { applyEvent, readEvent, verifiedEvent } from "../services/payment-webhooks";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";

export const SIGNATURE_HEADER = "stripe-signature";

/** The one path a signed event takes, whether Stripe sent it or the test provider made it. */
export async function handleSignedEvent(c: Context<AppEnv>, body: string, signature: string | undefined) {
  const { payments } = readConfig(c.env);
  if (payments.provider === "unconfigured") return errorResponse(c, "SERVICE_UNAVAILABLE", "Payments are not configured here.");
  const signed = await verifiedEvent(payments.webhookSecret, body, signature);
  if (signed.kind === "refused") {
    c.get("log").warn("webhook.refused", { signature: signature ? "invalid" : "missing" });
    return errorResponse(c, "UNAUTHORIZED", "Webhook signature refused.");
  }
  const read = signed.kind === "json" ? readEvent(signed.json) : ({ kind: "malformed" } as const);
  if (read.kind === "malformed") return errorResponse(c, "BAD_REQUEST", "Malformed payment event.");
  if (read.kind === "ignore") {
    c.get("log").info("webhook.ignored", { why: read.why });
    return c.json({ received: true, ignored: true });
  }
  const deps = {
    db: createDb(c.env.DB, c.get("metrics")),
    outbox: cloudflareOutboxQueue(c.env.OUTBOX),
    log: c.get("log"),
    now: Date.now,
    feeds: orderFeeds(c.env.ORDER_FEED),
  };
  const { duplicate, outcome } = await applyEvent(deps, read.event, payments.provider);
  c.get("log").info("webhook.applied", { eventId: read.event.id, type: read.event.type, duplicate, outcome });
  return c.json({ received: true, duplicate });
}

export const webhooks = new Hono<AppEnv>().post("/payments", async (c) =>
  handleSignedEvent(c, await c.req.text(), c.req.header(SIGNATURE_HEADER)),
);
