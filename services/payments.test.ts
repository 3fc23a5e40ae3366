import { describe, expect, it } from "vitest";
import { testConfig } from "../test/helpers/app-config";
import { paymentsFor, testPaymentProvider, unconfiguredPayments } from "./payments";

const charge = (token: string, idempotencyKey = "key-0123456789abcdef0123456789") =>
  testPaymentProvider.charge({ orderId: idempotencyKey, amountCents: 1000, currency: "USD", token, idempotencyKey });

describe("the test payment provider", () => {
  it("is named test", () => expect(testPaymentProvider.name).toBe("test"));

  it("charges tok_visa, with a reference naming the idempotency key", async () => {
    const result = await charge("tok_visa");
    expect(result).toEqual({
      outcome: "succeeded",
      providerRef: expect.stringMatching(/^ch_test_key-0123456789abcdef0123_[0-9a-f]{8}$/) as unknown,
    });
    expect(await charge("tok_visa")).not.toEqual(result);
  });

  it.each([
    ["tok_declined", { outcome: "declined", reason: "Your card was declined." }],
    ["tok_error", { outcome: "error", reason: "The payment provider is unavailable." }],
    ["tok_unknown", { outcome: "declined", reason: "Unknown payment token." }],
    ["", { outcome: "declined", reason: "Unknown payment token." }],
  ])("answers %j with %j", async (token, expected) => expect(await charge(token)).toEqual(expected));

  it("refunds", async () => {
    expect(await testPaymentProvider.refund({ providerRef: "ch_test_x", amountCents: 1000, idempotencyKey: "refund_o1" })).toEqual({
      outcome: "refunded",
      refundRef: "re_test_refund_o1",
    });
  });

  it("is the provider a test configuration names", () => {
    expect(paymentsFor(testConfig())).toBe(testPaymentProvider);
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
