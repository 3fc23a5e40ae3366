// The payment provider comes from configuration: the test provider only in development and tests,
// Stripe only with its secrets. Every other combination takes no order and reports not ready.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clientWithEnv, refusalOf, signedUpUser } from "./helpers/client";
import { ADDRESS, createProduct, newKey, stockOf } from "./helpers/shop";

const LIVE_KEY = "sk_live_0123456789abcdefghijklmnop";
const LIVE_PUBLISHABLE_KEY = "pk_live_0123456789abcdefghijklmnop";
const LIVE_STRIPE = {
  PAYMENT_PROVIDER: "stripe",
  STRIPE_SECRET_KEY: LIVE_KEY,
  STRIPE_PUBLISHABLE_KEY: LIVE_PUBLISHABLE_KEY,
  STRIPE_WEBHOOK_SECRET: "whsec_0123456789abcdef",
} satisfies Partial<Env>;

// Each a way a deployment could end up charging through something that takes made-up tokens, or
// through nothing at all; the problem is what /readyz names.
const MISCONFIGURED: [string, Partial<Env>, string][] = [
  ["the test provider in production", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "test" }, "test_provider_outside_development"],
  [
    "the test provider in an unknown environment",
    { ENVIRONMENT: "staging", PAYMENT_PROVIDER: "test" },
    "test_provider_outside_development",
  ],
  ["Stripe without its secret key", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "stripe" }, "stripe_secret_key_missing"],
  [
    "Stripe with a test-mode key in production",
    { ENVIRONMENT: "production", ...LIVE_STRIPE, STRIPE_SECRET_KEY: "sk_test_0123456789abcdef" },
    "stripe_test_key_in_production",
  ],
  [
    "Stripe with a test-mode publishable key in production",
    { ENVIRONMENT: "production", ...LIVE_STRIPE, STRIPE_PUBLISHABLE_KEY: "pk_test_0123456789abcdef" },
    "stripe_test_key_in_production",
  ],
  [
    "Stripe without its publishable key",
    { ENVIRONMENT: "production", ...LIVE_STRIPE, STRIPE_PUBLISHABLE_KEY: "" },
    "stripe_publishable_key_missing",
  ],
  [
    "Stripe's SDK pointed at another API host in production",
    { ENVIRONMENT: "production", ...LIVE_STRIPE, STRIPE_API_BASE: "http://127.0.0.1:8801" },
    "stripe_api_override_outside_development",
  ],
  [
    "Stripe's SDK pointed at another API host in an unknown environment",
    { ENVIRONMENT: "staging", ...LIVE_STRIPE, STRIPE_API_BASE: "https://stripe.example" },
    "stripe_api_override_outside_development",
  ],
  [
    "Stripe's SDK pointed at something that is not an origin, in development",
    { ENVIRONMENT: "development", ...LIVE_STRIPE, STRIPE_API_BASE: "http://127.0.0.1:8801/v1?x=1" },
    "stripe_api_override_outside_development",
  ],
  [
    "Stripe with a restricted test-mode key in production",
    { ENVIRONMENT: "production", ...LIVE_STRIPE, STRIPE_SECRET_KEY: "rk_test_0123456789abcdef" },
    "stripe_test_key_in_production",
  ],
  ["Stripe without its webhook secret", { ENVIRONMENT: "production", ...LIVE_STRIPE, STRIPE_WEBHOOK_SECRET: "" }, "webhook_secret_missing"],
  ["no provider named", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "" }, "unknown_provider"],
  ["a provider that does not exist", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "paypal" }, "unknown_provider"],
];

async function shopperWithCart() {
  const product = await createProduct({ stock: 4, priceCents: 1500 });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
  return { product, shopper };
}

const ordersOf = async (userId: string) =>
  (await env.DB.prepare("select count(*) as n from orders where user_id = ?1").bind(userId).first<{ n: number }>())?.n;

describe.each(MISCONFIGURED)("with %s", (_name, overrides, problem) => {
  it("refuses checkout with SERVICE_UNAVAILABLE before reserving anything, whatever the token", async () => {
    const { product, shopper } = await shopperWithCart();
    const { client } = clientWithEnv(overrides, shopper.session.tokens);
    for (const paymentToken of ["tok_visa", "pm_card_visa", "tok_threeDSecure2Required"]) {
      const refusal = await refusalOf(
        client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken }),
      );
      expect(refusal, paymentToken).toMatchObject({ code: "SERVICE_UNAVAILABLE", httpStatus: 503, reason: "payments_not_configured" });
    }
    expect(await ordersOf(shopper.user.id)).toBe(0);
    expect(await stockOf(product.id)).toBe(4);
    expect((await shopper.client.cart.get.query()).lines).toHaveLength(1);
  });

  it("is not ready, and /readyz says why", async () => {
    const response = await clientWithEnv(overrides).fetch("/readyz");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", problems: [`payments_not_configured: ${problem}`] });
  });

  it("applies no webhook event", async () => {
    const response = await clientWithEnv(overrides).fetch("/webhooks/payments", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(503);
  });
});

describe("with a usable provider", () => {
  it.each([
    ["the test provider in development", { ENVIRONMENT: "development", PAYMENT_PROVIDER: "test" }],
    ["the test provider in tests", { ENVIRONMENT: "test", PAYMENT_PROVIDER: "test" }],
    ["Stripe with live keys in production", { ENVIRONMENT: "production", ...LIVE_STRIPE }],
    [
      "Stripe with test-mode keys in development",
      { ENVIRONMENT: "development", ...LIVE_STRIPE, STRIPE_SECRET_KEY: "sk_test_0123", STRIPE_PUBLISHABLE_KEY: "pk_test_0123" },
    ],
    [
      "Stripe against a local fake of its API in tests",
      { ENVIRONMENT: "test", ...LIVE_STRIPE, STRIPE_SECRET_KEY: "sk_test_0123", STRIPE_API_BASE: "http://127.0.0.1:8801" },
    ],
  ] satisfies [string, Partial<Env>][])("is ready with %s", async (_name, overrides) => {
    const response = await clientWithEnv(overrides).fetch("/readyz");
    expect(await response.json()).toEqual({ status: "ready" });
    expect(response.status).toBe(200);
  });

  it("takes tok_visa with the test provider in tests", async () => {
    const { product, shopper } = await shopperWithCart();
    const order = await shopper.client.checkout.placeOrder.mutate({
      idempotencyKey: newKey(),
      shippingAddress: ADDRESS,
      paymentToken: "tok_visa",
    });
    expect(order.status).toBe("paid");
    expect(await stockOf(product.id)).toBe(2);
  });
});

describe("checkout.paymentSetup", () => {
  it.each([
    [
      "Stripe: its publishable key, and nothing secret",
      { ENVIRONMENT: "production", ...LIVE_STRIPE },
      { provider: "stripe", publishableKey: LIVE_PUBLISHABLE_KEY },
    ],
    ["the test provider", { ENVIRONMENT: "test", PAYMENT_PROVIDER: "test" }, { provider: "test" }],
    ["no usable provider", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "test" }, { provider: "unconfigured" }],
  ] satisfies [string, Partial<Env>, unknown][])(
    "tells anyone, signed in or not, how cards are taken: %s",
    async (_name, overrides, expected) => {
      const caller = clientWithEnv(overrides);
      expect(await caller.client.checkout.paymentSetup.query()).toEqual(expected);
      const rest = await caller.fetch("/api/v1/checkout/payment-setup");
      expect(rest.status).toBe(200);
      const body = await rest.text();
      expect(JSON.parse(body)).toEqual(expected);
      expect(body).not.toContain("sk_");
      expect(body).not.toContain("whsec_");
    },
  );
});
