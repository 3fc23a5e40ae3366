// The built-in test provider for development and tests: it decides by token, as the contract
// lists, answers 3-D Secure with a client secret only this deployment can have issued, and sends
// its events in Stripe's format, signed with the webhook secret the way Stripe signs.
import Stripe from "stripe";
import { toHex } from "../domain/encoding";
import type { PaymentProvider } from "../domain/payments";

/** The tokens it knows (Stripe's test names where Stripe has one); anything else is declined. */
export const TEST_TOKENS = {
  visa: "tok_visa",
  declined: "tok_declined",
  error: "tok_error",
  threeDSecure: "tok_threeDSecure2Required",
} as const;

const encoder = new TextEncoder();
// Per isolate: an HMAC key derived from the webhook secret is a pure value, safe to reuse across requests.
const keys = new Map<string, Promise<CryptoKey>>();
const keyFor = (secret: string) => {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(`test-payments:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
};

const mac = async (secret: string, providerRef: string) =>
  toHex(await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(providerRef))).slice(0, 32);

// As Stripe's: `<payment intent id>_secret_<random>`; here the tail is a MAC of the id, so the
// confirm step (worker/test-payments) can tell a secret checkout handed out from a made-up one.
const CLIENT_SECRET = /^(pi_test_[A-Za-z0-9_-]{1,80})_secret_([0-9a-f]{32})$/;

/** The payment a client secret was issued for, or null when this deployment did not issue it. */
export async function paymentOfClientSecret(secret: string, clientSecret: string): Promise<string | null> {
  const m = CLIENT_SECRET.exec(clientSecret);
  if (!m?.[1] || !m[2]) return null;
  const expected = await mac(secret, m[1]);
  return crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(m[2])) ? m[1] : null;
}

// Per isolate: a provider is closures over its secret and fetches nothing of its own at build time.
const providers = new Map<string, PaymentProvider>();

/** The test provider for a deployment; `secret` (its webhook secret) keys its client secrets. */
export function testPayments(secret: string): PaymentProvider {
  let provider = providers.get(secret);
  if (provider) return provider;
  provider = {
    name: "test",
    async charge({ token, idempotencyKey }) {
      const providerRef = `pi_test_${idempotencyKey.slice(0, 24)}_${crypto.randomUUID().slice(0, 8)}`;
      if (token === TEST_TOKENS.visa) return { outcome: "succeeded", providerRef };
      if (token === TEST_TOKENS.threeDSecure) {
        return { outcome: "requires_action", providerRef, clientSecret: `${providerRef}_secret_${await mac(secret, providerRef)}` };
      }
      if (token === TEST_TOKENS.declined) return { outcome: "declined", reason: "Your card was declined." };
      if (token === TEST_TOKENS.error) return { outcome: "error", reason: "The payment provider is unavailable." };
      return { outcome: "declined", reason: "Unknown payment token." };
    },
    // It keeps no record of its charges: nothing it knows of was charged, so a pending order the
    // reconciliation asks about (an abandoned 3-D Secure step) is released.
    async lookup() {
      return { outcome: "not_charged" };
    },
    async refund({ idempotencyKey }) {
      return { outcome: "refunded", refundRef: `re_test_${idempotencyKey.slice(0, 24)}` };
    },
  };
  providers.set(secret, provider);
  return provider;
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * The event Stripe would send when the customer finishes (or fails) 3-D Secure, as the body and
 * `Stripe-Signature` header the webhook verifies: the same check Stripe's own events pass.
 */
export async function signedIntentEvent(
  secret: string,
  intent: { outcome: "succeeded" | "failed"; providerRef: string; orderId: string; amountCents: number; currency: string },
) {
  const succeeded = intent.outcome === "succeeded";
  const event = {
    id: `evt_test_${crypto.randomUUID().replace(/-/g, "")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: succeeded ? "payment_intent.succeeded" : "payment_intent.payment_failed",
    data: {
      object: {
        id: intent.providerRef,
        object: "payment_intent",
        amount: intent.amountCents,
        amount_received: succeeded ? intent.amountCents : 0,
        currency: intent.currency.toLowerCase(),
        status: succeeded ? "succeeded" : "requires_payment_method",
        metadata: { order_id: intent.orderId },
        last_payment_error: succeeded
          ? null
          : { type: "card_error", code: "payment_intent_authentication_failure", message: "3-D Secure failed." },
      },
    },
  };
  const body = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: body, secret, cryptoProvider });
  return { body, signature };
}
