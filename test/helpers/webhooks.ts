// POST /webhooks/payments as Stripe sends it: `Stripe-Signature` made here the way Stripe documents
// it (HMAC-SHA256 of "<t>.<body>"), independently of the SDK the Worker verifies with.
import { env, SELF } from "cloudflare:test";
import { toHex } from "../../domain/encoding";

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A Stripe event of `type` about `object`, as the webhook endpoint receives it. */
export const stripeEvent = (type: string, object: Record<string, unknown>, id = `evt_${crypto.randomUUID().replace(/-/g, "")}`) =>
  JSON.stringify({ id, object: "event", api_version: "2026-10-28.endive", created: nowSeconds(), livemode: false, type, data: { object } });

export async function stripeSignature(body: string, secret = env.STRIPE_WEBHOOK_SECRET, timestamp = nowSeconds()) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${body}`));
  return `t=${timestamp},v1=${toHex(mac)}`;
}

export const sendWebhook = (body: string, headers: Record<string, string> = {}) =>
  SELF.fetch("http://storefront.test/webhooks/payments", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

export const sendSignedWebhook = async (body: string) => sendWebhook(body, { "stripe-signature": await stripeSignature(body) });
