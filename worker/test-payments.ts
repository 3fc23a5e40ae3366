// POST /dev/test-payments/confirm: the test provider's stand-in for the bank's 3-D Secure page.
// Given the client secret checkout handed out, it makes the test provider send its signed
// payment_intent event through the webhook's own path. Only where the test provider runs
// (development, tests); everywhere else the route does not exist.
import { Hono } from "hono";
import * as z from "zod";
import { createDb } from "../db/client";
import { findPendingPayment } from "../db/payment-events";
import { readConfig } from "../lib/config";
import { paymentOfClientSecret, signedIntentEvent } from "../services/test-payments";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";
import { handleSignedEvent } from "./webhooks";

const Confirm = z.object({ clientSecret: z.string().min(1).max(300), outcome: z.enum(["succeeded", "failed"]).default("succeeded") });

export const testPaymentRoutes = new Hono<AppEnv>().post("/confirm", async (c) => {
  const { payments: config } = readConfig(c.env);
  // lib/config gives the test provider only to development and tests; production never gets here.
  if (config.provider !== "test") return errorResponse(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`);
  const input = Confirm.safeParse(await c.req.json().catch(() => null));
  if (!input.success) return errorResponse(c, "BAD_REQUEST", "Send { clientSecret, outcome? }.");
  const providerRef = await paymentOfClientSecret(config.webhookSecret, input.data.clientSecret);
  const db = createDb(c.env.DB, c.get("metrics"));
  const payment = providerRef ? await findPendingPayment(db, "test", providerRef) : undefined;
  if (!providerRef || !payment) return errorResponse(c, "NOT_FOUND", "No payment waiting for this client secret.");
  const { body, signature } = await signedIntentEvent(config.webhookSecret, { outcome: input.data.outcome, providerRef, ...payment });
  return handleSignedEvent(c, body, signature);
});
