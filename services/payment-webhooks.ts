// Payment webhooks in Stripe's format, for both providers: the `Stripe-Signature` check (the
// SDK's constructEventAsync on SubtleCrypto), the events the shop acts on, and applying them once.
import Stripe from "stripe";
import * as z from "zod";
import type { PaymentEvent } from "../domain/payments";
import { eventApplied, orderOfPayment, orderTotal, recordEvent } from "../db/payment-events";
import { markPaymentDisputed, markPaymentRefunded, releasePendingOrder, settlePendingOrder, type PaymentStateDeps } from "./payment-state";

/** Stripe's own default: a signature older (or newer) than this is a replay, refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** What a body and its signature come to: refused, signed but not JSON, or signed JSON (maybe an event). */
export type SignedBody = { kind: "refused" } | { kind: "unreadable" } | { kind: "json"; json: unknown };

/** Checks the signature (missing, wrong, stale or malformed: refused), then reads the body as JSON. */
export async function verifiedEvent(secret: string, body: string, signature: string | undefined): Promise<SignedBody> {
  if (!signature) return { kind: "refused" };
  // The SDK refuses signatures older than the tolerance but not ones from the future; Stripe
  // signs with its current time, so a timestamp ahead of ours by more than the tolerance is
  // refused too (it would stretch the replay window).
  const timestamp = Number(/(?:^|,)t=(\d{1,12})(?:,|$)/.exec(signature)?.[1]);
  if (!Number.isFinite(timestamp) || timestamp - Date.now() / 1000 > SIGNATURE_TOLERANCE_SECONDS) return { kind: "refused" };
  // The SDK will not check a signature over an empty payload; there is nothing to apply either.
  if (body === "") return { kind: "unreadable" };
  // The signature alone, then our own parse: the SDK's constructEventAsync throws a bare
  // SyntaxError for a signed body that is not JSON (and an Error for a thin v2 notification),
  // which became a 500 for what is the sender's mistake.
  const signatures = Stripe.webhooks.signature;
  if (!signatures) throw new Error("The Stripe SDK has no signature helper.");
  try {
    await signatures.verifyHeaderAsync(body, signature, secret, SIGNATURE_TOLERANCE_SECONDS, cryptoProvider);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) return { kind: "refused" };
    throw error;
  }
  try {
    const json: unknown = JSON.parse(body);
    return { kind: "json", json };
  } catch {
    return { kind: "unreadable" };
  }
}

const Ref = z.string().min(1).max(255);
const Envelope = z.object({ id: Ref, type: z.string().max(100), data: z.object({ object: z.unknown() }) });
// Only intents this shop created carry its order id; anything else on the account is not ours.
const Intent = z.object({ id: Ref, amount: z.number().int(), metadata: z.object({ order_id: z.string().min(1).max(64) }) });
const Charge = z.object({ payment_intent: Ref, refunded: z.boolean() });
const Dispute = z.object({ payment_intent: Ref });

export type ReadEvent = { kind: "apply"; event: PaymentEvent } | { kind: "ignore"; why: string } | { kind: "malformed" };

/** The shop's reading of a verified Stripe event: what to apply, or why it is none of its business. */
export function readEvent(json: unknown): ReadEvent {
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return { kind: "malformed" };
  const { id, type, data } = envelope.data;
  const notOurs = { kind: "ignore", why: "not_an_order_payment" } as const;
  switch (type) {
    case "payment_intent.succeeded": {
      const intent = Intent.safeParse(data.object);
      if (!intent.success) return notOurs;
      const { id: providerRef, amount, metadata } = intent.data;
      return { kind: "apply", event: { id, type, orderId: metadata.order_id, providerRef, amountCents: amount } };
    }
    case "payment_intent.payment_failed": {
      const intent = Intent.safeParse(data.object);
      if (!intent.success) return notOurs;
      return { kind: "apply", event: { id, type, orderId: intent.data.metadata.order_id, providerRef: intent.data.id } };
    }
    case "charge.refunded": {
      const charge = Charge.safeParse(data.object);
      if (!charge.success) return notOurs;
      // Sent for partial refunds too; the shop refunds whole orders, so only a full one counts.
      if (!charge.data.refunded) return { kind: "ignore", why: "partial_refund" };
      return { kind: "apply", event: { id, type, providerRef: charge.data.payment_intent } };
    }
    case "charge.dispute.created": {
      const dispute = Dispute.safeParse(data.object);
      if (!dispute.success) return notOurs;
      return { kind: "apply", event: { id, type, providerRef: dispute.data.payment_intent } };
    }
    default:
      return { kind: "ignore", why: "event_type_not_handled" };
  }
}

/**
 * Applies a verified event once. The effects are the cron's own (services/payment-state), each
 * guarded in SQL, so two deliveries racing past the "applied?" check still give one outcome; the
 * id is recorded after the effects, so a failure midway leaves the event for Stripe's retry.
 */
export async function applyEvent(
  deps: PaymentStateDeps,
  event: PaymentEvent,
  provider: string,
): Promise<{ duplicate: boolean; outcome: string }> {
  if (await eventApplied(deps.db, event.id)) return { duplicate: true, outcome: "duplicate" };
  const outcome = await effect(deps, event, provider);
  const first = await recordEvent(deps.db, event.id, new Date(deps.now()));
  return { duplicate: !first, outcome };
}

async function effect(deps: PaymentStateDeps, event: PaymentEvent, provider: string): Promise<string> {
  switch (event.type) {
    case "payment_intent.succeeded": {
      // Only for the order's own total: anything else is not this order's payment.
      const total = await orderTotal(deps.db, event.orderId);
      if (total === null) return "unknown_order";
      if (total !== event.amountCents) {
        deps.log.error("webhook.amount_mismatch", { orderId: event.orderId, eventId: event.id });
        return "amount_mismatch";
      }
      return settlePendingOrder(deps, { orderId: event.orderId, provider, providerRef: event.providerRef });
    }
    case "payment_intent.payment_failed":
      return (await releasePendingOrder(deps, { orderId: event.orderId, provider })) ? "released" : "unchanged";
    case "charge.refunded":
    case "charge.dispute.created": {
      const orderId = await orderOfPayment(deps.db, provider, event.providerRef);
      if (!orderId) return "unknown_payment";
      const mark = event.type === "charge.refunded" ? markPaymentRefunded : markPaymentDisputed;
      return (await mark(deps, orderId)) ? (event.type === "charge.refunded" ? "refunded" : "disputed") : "unchanged";
    }
  }
}
