// The Stripe payment provider: a PaymentIntent created and confirmed in one call with the browser's
// ConfirmationToken, lookups by the order id Stripe keeps in metadata, refunds through the Refunds
// API; the official SDK on fetch.
import Stripe from "stripe";
import type { ChargeResult, PaymentLookup, PaymentProvider, RefundResult } from "../domain/payments";

/**
 * One retry per call, after Stripe's back-off. Safe because every call that changes money carries
 * an idempotency key, so Stripe answers a retry with the first attempt's result instead of
 * charging again. Only one: checkout waits for it with the customer watching (two timeouts at
 * most), and refunds have the queue's own retries with back-off on top.
 */
export const STRIPE_MAX_NETWORK_RETRIES = 1;

export interface StripeSettings {
  secretKey: string;
  timeoutMs: number;
  /** Where the SDK sends its calls instead of api.stripe.com: development and tests only (lib/config). */
  api?: { protocol: "http" | "https"; host: string; port: number };
}

// Building the SDK's client costs start-up and per-request CPU (its resources and config), so an
// isolate builds one per key and reuses it for every request.
const providers = new Map<string, PaymentProvider>();

export function stripeProvider(settings: StripeSettings): PaymentProvider {
  const { api } = settings;
  const cacheKey = `${settings.timeoutMs}:${api ? `${api.protocol}://${api.host}:${api.port}` : ""}:${settings.secretKey}`;
  let provider = providers.get(cacheKey);
  if (!provider) {
    provider = createStripeProvider(
      new Stripe(settings.secretKey, {
        httpClient: Stripe.createFetchHttpClient(),
        timeout: settings.timeoutMs,
        maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
        ...api,
      }),
    );
    providers.set(cacheKey, provider);
  }
  return provider;
}

/** A short, log-safe description of what went wrong (no keys, no card data). */
function describeFailure(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) {
    return [error.type, error.statusCode, error.code, error.requestId].filter((part) => part !== undefined).join(" ");
  }
  return error instanceof Error ? error.name : "unknown";
}

/**
 * Stripe's message for a person ("Your card was declined."). Since stripe 23.2 the SDK puts the
 * request id in front of `message` ("[req_…] Your card…"): that id is for our logs
 * (describeFailure keeps it), not for the customer or the order's refusal reason.
 */
function stripeMessage(error: Stripe.errors.StripeError): string {
  const prefix = error.requestId ? `[${error.requestId}] ` : "";
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Stripe refused for good (a 4xx that retrying will not change), as opposed to an outage. */
const isRefusal = (error: unknown): error is Stripe.errors.StripeError =>
  error instanceof Stripe.errors.StripeCardError ||
  (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode !== 429 && error.statusCode !== 409);

function chargeFromIntent(intent: Stripe.PaymentIntent): ChargeResult {
  switch (intent.status) {
    case "succeeded":
      return { outcome: "succeeded", providerRef: intent.id };
    // Both leave the order pending for the webhook: 3-D Secure needs the customer (Stripe.js
    // finishes it with the client secret); processing needs only time.
    case "requires_action":
    case "processing":
      return intent.client_secret
        ? { outcome: "requires_action", providerRef: intent.id, clientSecret: intent.client_secret }
        : { outcome: "error", reason: `payment intent ${intent.status} without a client secret` };
    case "requires_payment_method":
    case "canceled":
      return { outcome: "declined", reason: intent.last_payment_error?.message ?? "Your card was declined." };
    default:
      // requires_confirmation / requires_capture: not what a confirmed, automatically captured
      // intent answers; treat as an outage rather than guess.
      return { outcome: "error", reason: `unexpected payment intent status ${intent.status}` };
  }
}

function chargeFailure(error: unknown): ChargeResult {
  // A decline carries Stripe's message for the customer ("Your card has insufficient funds.").
  if (error instanceof Stripe.errors.StripeCardError) return { outcome: "declined", reason: stripeMessage(error) };
  // A ConfirmationToken Stripe does not know, that expired or was used, or whose payment method
  // cannot pay is the customer's to change (enter the card again); any other invalid request is
  // ours, an outage to the customer.
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    (error.param === "confirmation_token" || error.param === "payment_method")
  ) {
    return { outcome: "declined", reason: "This payment method cannot be used. Try another card." };
  }
  return { outcome: "error", reason: describeFailure(error) };
}

// The order ids this shop makes are UUIDs; anything else would need escaping in a search query.
const SEARCHABLE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function lookupFromIntents(intents: Stripe.PaymentIntent[]): PaymentLookup {
  const succeeded = intents.find((intent) => intent.status === "succeeded");
  if (succeeded) return { outcome: "succeeded", providerRef: succeeded.id };
  const waiting = intents.find((intent) =>
    ["requires_action", "processing", "requires_confirmation", "requires_capture"].includes(intent.status),
  );
  if (waiting) return { outcome: "pending", providerRef: waiting.id };
  return { outcome: "not_charged" };
}

// What a PaymentIntent waiting for its customer can be cancelled from (Stripe's cancel endpoint).
const CANCELLABLE = new Set<string>(["requires_action", "requires_payment_method", "requires_confirmation"]);

function refundFromObject(refund: Stripe.Refund): RefundResult {
  switch (refund.status) {
    case "succeeded":
      return { outcome: "refunded", refundRef: refund.id };
    case "failed":
    case "canceled":
      return { outcome: "failed", reason: refund.failure_reason ?? `refund ${refund.status}` };
    default:
      // pending, requires_action: Stripe confirms later (charge.refunded, or the next call).
      return { outcome: "pending", refundRef: refund.id };
  }
}

export function createStripeProvider(stripe: Stripe): PaymentProvider {
  return {
    name: "stripe",

    async charge({ orderId, amountCents, currency, token, idempotencyKey }) {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: amountCents,
            currency: currency.toLowerCase(),
            // Stripe's "finalize payments on the server": the browser's Payment Element made this
            // ConfirmationToken (ctoken_…); the amount is ours, never the browser's.
            confirmation_token: token,
            confirm: true,
            // No redirect-based methods, so confirming needs no return_url: 3-D Secure comes back
            // as requires_action for Stripe.js to finish in the page.
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            metadata: { order_id: orderId },
          },
          { idempotencyKey },
        );
        return chargeFromIntent(intent);
      } catch (error) {
        return chargeFailure(error);
      }
    },

    // The Search API, because listing PaymentIntents cannot filter by metadata and the order id
    // is all a crashed checkout left behind. Search is eventually consistent (Stripe: usually
    // under a minute); the reconciliation asks only about orders older than 15 minutes.
    async lookup({ orderId, abandon }) {
      if (!SEARCHABLE_ID.test(orderId)) return { outcome: "error", reason: "order id cannot be searched" };
      try {
        const found = await stripe.paymentIntents.search({ query: `metadata['order_id']:'${orderId}'`, limit: 10 });
        const result = lookupFromIntents(found.data);
        if (!abandon || result.outcome !== "pending") return result;
        // Abandoned 3-D Secure: cancel what still waits for the customer, so a late attempt
        // cannot charge an order whose stock went back. "processing" cannot be cancelled and
        // only needs time; it stays pending. A cancel that loses a race with the customer's
        // success is refused by Stripe (the intent succeeded): an error now, settled next run.
        const waiting = found.data.filter((intent) => CANCELLABLE.has(intent.status));
        if (waiting.length === 0) return result;
        for (const intent of waiting) {
          await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "abandoned" }, { idempotencyKey: `cancel-${intent.id}` });
        }
        return found.data.some((intent) => intent.status === "processing") ? result : { outcome: "not_charged" };
      } catch (error) {
        return { outcome: "error", reason: describeFailure(error) };
      }
    },

    async refund({ providerRef, amountCents, idempotencyKey }) {
      try {
        const refund = await stripe.refunds.create({ payment_intent: providerRef, amount: amountCents }, { idempotencyKey });
        return refundFromObject(refund);
      } catch (error) {
        if (isRefusal(error)) return { outcome: "failed", reason: stripeMessage(error) };
        return { outcome: "error", reason: describeFailure(error) };
      }
    },
  };
}
