// The web app's documents carry a Content-Security-Policy that follows the payment provider:
// Stripe's documented sources for Stripe.js and Elements with Stripe, none of them otherwise.
import { describe, expect, it } from "vitest";
import { clientWithEnv } from "./helpers/client";

const STRIPE: Partial<Env> = {
  ENVIRONMENT: "production",
  PAYMENT_PROVIDER: "stripe",
  STRIPE_SECRET_KEY: "sk_live_0123456789abcdef",
  STRIPE_PUBLISHABLE_KEY: "pk_live_0123456789abcdef",
  STRIPE_WEBHOOK_SECRET: "whsec_0123456789abcdef",
};
const APP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// What a browser's navigation sends.
const PAGE = { headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" } };

const directives = (policy: string | null): Record<string, string[]> =>
  Object.fromEntries(
    (policy ?? "").split("; ").map((directive) => {
      const [name = "", ...sources] = directive.split(" ");
      return [name, sources];
    }),
  );

describe("the web app's documents", () => {
  it.each(["/", "/checkout", "/orders/0a1b2c"])("allow exactly Stripe's script, frame and API sources with Stripe (%s)", async (path) => {
    const response = await clientWithEnv(STRIPE).fetch(path, PAGE);
    const policy = response.headers.get("content-security-policy");
    expect(directives(policy)).toEqual({
      ...directives(APP),
      "script-src": ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"],
      "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
      "connect-src": ["'self'", "https://api.stripe.com"],
    });
  });

  it.each([
    ["the test provider", { ENVIRONMENT: "test", PAYMENT_PROVIDER: "test" }],
    ["no usable provider", { ENVIRONMENT: "production", PAYMENT_PROVIDER: "test" }],
  ] satisfies [string, Partial<Env>][])("allow nothing of Stripe's with %s", async (_name, overrides) => {
    const response = await clientWithEnv(overrides).fetch("/checkout", PAGE);
    expect(response.headers.get("content-security-policy")).toBe(APP);
  });

  it("leave the API's own unknown paths, and anything but a page, a JSON 404 with the API's policy", async () => {
    const cases: [string, RequestInit][] = [
      ["/api/v2/nothing", PAGE],
      ["/trpc", PAGE],
      ["/webhooks/none", PAGE],
      ["/dev/none", PAGE],
      ["/checkout", {}],
      ["/checkout", { headers: { accept: "application/json" } }],
    ];
    for (const [path, init] of cases) {
      const response = await clientWithEnv(STRIPE).fetch(path, init);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(response.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });
});
