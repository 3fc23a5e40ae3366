import { describe, expect, it } from "vitest";
import { testConfig } from "../test/helpers/app-config";
import { paymentsFor, unconfiguredPayments } from "./payments";
import { paymentOfClientSecret, testPayments } from "./test-payments";

const SECRET = "whsec-unit-test";
const testPaymentProvider = testPayments(SECRET);
const charge = (token: string, idempotencyKey = "key-0123456789abcdef0123456789") =>
  testPaymentProvider.charge({ orderId: idempotencyKey, amountCents: 1000, currency: "USD", token, idempotencyKey });

describe("the test payment provider", () => {
  it("is named test", () => expect(testPaymentProvider.name).toBe("test"));

  it("charges tok_visa, with a reference naming the idempotency key", async () => {
    const result = await charge("tok_visa");
    expect(result).toEqual({
      outcome: "succeeded",
      providerRef: expect.stringMatching(/^pi_test_key-0123456789abcdef0123_[0-9a-f]{8}$/) as unknown,
    });
    expect(await charge("tok_visa")).not.toEqual(result);
  });

  it.each([
    ["tok_declined", { outcome: "declined", reason: "Your card was declined." }],
    ["tok_error", { outcome: "error", reason: "The payment provider is unavailable." }],
    ["tok_unknown", { outcome: "declined", reason: "Unknown payment token." }],
    ["", { outcome: "declined", reason: "Unknown payment token." }],
  ])("answers %j with %j", async (token, expected) => expect(await charge(token)).toEqual(expected));

  it("answers tok_threeDSecure2Required with 3-D Secure: a client secret only this deployment issues", async () => {
    const result = await charge("tok_threeDSecure2Required");
    if (result.outcome !== "requires_action") throw new Error(`expected requires_action, got ${result.outcome}`);
    expect(result.providerRef).toMatch(/^pi_test_key-0123456789abcdef0123_[0-9a-f]{8}$/);
    expect(result.clientSecret).toMatch(new RegExp(`^${result.providerRef}_secret_[0-9a-f]{32}$`));
    expect(await paymentOfClientSecret(SECRET, result.clientSecret)).toBe(result.providerRef);
    // Another deployment's secret, a changed tail, another payment's id: none is accepted.
    expect(await paymentOfClientSecret("whsec-other", result.clientSecret)).toBeNull();
    expect(
      await paymentOfClientSecret(
        SECRET,
        result.clientSecret.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
      ),
    ).toBeNull();
    expect(await paymentOfClientSecret(SECRET, result.clientSecret.replace("pi_test_key", "pi_test_kez"))).toBeNull();
    expect(await paymentOfClientSecret(SECRET, "pi_test_x_secret_nope")).toBeNull();
  });

  it("looks up nothing it charged: an abandoned 3-D Secure order is released", async () => {
    expect(await testPaymentProvider.lookup({ orderId: "o1", idempotencyKey: "o1" })).toEqual({ outcome: "not_charged" });
  });

  it("refunds", async () => {
    expect(await testPaymentProvider.refund({ providerRef: "pi_test_x", amountCents: 1000, idempotencyKey: "refund_o1" })).toEqual({
      outcome: "refunded",
      refundRef: "re_test_refund_o1",
    });
  });

  it("is the provider a test configuration names, one per deployment secret", () => {
    expect(paymentsFor(testConfig({ payments: { provider: "test", webhookSecret: SECRET } }))).toBe(testPaymentProvider);
    expect(paymentsFor(testConfig({ payments: { provider: "test", webhookSecret: "whsec-other" } }))).not.toBe(testPaymentProvider);
  });

  it("is Stripe when the configuration names Stripe, one client per key", () => {
    const stripe = (secretKey: string) =>
      paymentsFor(
        testConfig({ payments: { provider: "stripe", secretKey, publishableKey: "pk_live_a", webhookSecret: SECRET, timeoutMs: 1000 } }),
      );
    expect(stripe("sk_live_a").name).toBe("stripe");
    expect(stripe("sk_live_a")).toBe(stripe("sk_live_a"));
    expect(stripe("sk_live_b")).not.toBe(stripe("sk_live_a"));
  });
});

describe("a deployment without a usable provider", () => {
  const provider = paymentsFor(testConfig({ payments: { provider: "unconfigured", problem: "test_provider_outside_development" } }));
  const outage = { outcome: "error", reason: "payments_not_configured: test_provider_outside_development" };

  it("charges nothing, even tok_visa", async () => {
    expect(provider.name).toBe("unconfigured");
    expect(await provider.charge({ orderId: "o1", amountCents: 1000, currency: "USD", token: "tok_visa", idempotencyKey: "o1" })).toEqual(
      outage,
    );
  });

  it("looks nothing up and refunds nothing, as an outage to retry once configured", async () => {
    expect(await provider.lookup({ orderId: "o1", idempotencyKey: "o1" })).toEqual(outage);
    expect(await provider.refund({ providerRef: "pi_1", amountCents: 1000, idempotencyKey: "refund_o1" })).toEqual(outage);
    expect(
      await unconfiguredPayments("stripe_secret_key_missing").refund({ providerRef: "pi_1", amountCents: 1, idempotencyKey: "k" }),
    ).toEqual({
      outcome: "error",
      reason: "payments_not_configured: stripe_secret_key_missing",
    });
  });
});
