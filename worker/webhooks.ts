// POST /webhooks/payments: events from the payment provider, signed with HMAC-SHA256 over
// "<timestamp>.<body>" and accepted only within the replay window, each applied once.
import { Hono } from "hono";
import * as z from "zod";
import type { PaymentEvent } from "../domain/payments";
import { checkWebhookSignature } from "../domain/webhook-signature";
import { createDb } from "../db/client";
import { applyPaymentEvent } from "../db/payment-events";
import { readConfig } from "../lib/config";
import type { AppEnv } from "./app-env";
import { trpcStyleError } from "./errors";

const EventId = z.string().min(1).max(128);
const OrderId = z.string().min(1).max(64);
const PaymentEvent = z.discriminatedUnion("type", [
  z.object({
    id: EventId,
    type: z.literal("payment.succeeded"),
    data: z.object({ orderId: OrderId, providerRef: z.string().min(1).max(200) }),
  }),
  z.object({ id: EventId, type: z.literal("payment.failed"), data: z.object({ orderId: OrderId }) }),
  z.object({ id: EventId, type: z.literal("payment.refunded"), data: z.object({ orderId: OrderId }) }),
]) satisfies z.ZodType<PaymentEvent>;

export const SIGNATURE_HEADER = "x-storefront-signature";

export const webhooks = new Hono<AppEnv>().post("/payments", async (c) => {
  const { payments } = readConfig(c.env);
  if (payments.provider === "unconfigured") return trpcStyleError(c, "SERVICE_UNAVAILABLE", "Payments are not configured here.");
  const body = await c.req.text();
  const problem = await checkWebhookSignature(payments.webhookSecret, c.req.header(SIGNATURE_HEADER), body);
  if (problem) {
    c.get("log").warn("webhook.refused", { problem });
    return trpcStyleError(c, "UNAUTHORIZED", `Webhook signature refused (${problem}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return trpcStyleError(c, "BAD_REQUEST", "Webhook body is not JSON.");
  }
  const event = PaymentEvent.safeParse(json);
  if (!event.success) return trpcStyleError(c, "BAD_REQUEST", "Unknown or malformed payment event.");
  const applied = await applyPaymentEvent(createDb(c.env.DB, c.get("metrics")), event.data);
  return c.json({ received: true, duplicate: !applied });
});
